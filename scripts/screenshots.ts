import { mkdir } from 'node:fs/promises';
import { launchChromium, startDemoServer } from '../test/e2e/harness.js';

/**
 * `npm run screenshots`: the demo pages as people see them, at a portrait kiosk's size and a
 * desktop's, and the shop page on a phone, in `docs/screenshots/` (the README shows them).
 */

const OUT = 'docs/screenshots';
const SIZES = {
  kiosk: { width: 1080, height: 1920 },
  desktop: { width: 1440, height: 900 },
} as const;
/** A small Android phone: 360 × 740 CSS px, touch only. */
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

const [server, browser] = await Promise.all([startDemoServer(), launchChromium()]);
try {
  await mkdir(OUT, { recursive: true });
  for (const [name, viewport] of Object.entries(SIZES)) {
    const page = await browser.newPage({ viewport });
    await page.goto(`${server.url}/index.html`);
    await page.click('#charge');
    await page.waitForSelector('amazonpay-dqr[status="pending"]');
    await page.screenshot({ path: `${OUT}/pos-${name}.png` });

    await page.getByRole('button', { name: 'Customer pays', exact: true }).click();
    await page.waitForSelector('amazonpay-dqr[status="paid"]');
    await page.screenshot({ path: `${OUT}/pos-${name}-paid.png` });

    await page.goto(`${server.url}/shop.html`);
    await page.waitForSelector('amazonpay-dqr[status="pending"]');
    await page.screenshot({ path: `${OUT}/shop-${name}.png` });
    await page.close();
  }
  const phone = await browser.newContext(PHONE);
  const page = await phone.newPage();
  await page.goto(`${server.url}/shop.html`);
  await page.waitForSelector('amazonpay-dqr[status="pending"]');
  await page.screenshot({ path: `${OUT}/shop-phone.png`, fullPage: true });
  const orderId = await page.locator('amazonpay-dqr').getAttribute('order-id');
  await page.request.post(`${server.url}/sandbox/control/orders/${orderId}/pay`, { data: {} });
  await page.waitForSelector('amazonpay-dqr[status="paid"]');
  await page.screenshot({ path: `${OUT}/shop-phone-paid.png`, fullPage: true });
  // The element in Hindi: the Devanagari needs a font with it (Debian: fonts-noto-core).
  await page.route('**/shop.html', async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('<html lang="en">', '<html lang="hi">');
    await route.fulfill({ response, body });
  });
  await page.goto(`${server.url}/shop.html`);
  await page.waitForSelector('amazonpay-dqr[status="pending"]');
  await page.screenshot({ path: `${OUT}/shop-phone-hi.png`, fullPage: true });
  await phone.close();
  console.log(`Screenshots in ${OUT}/`);
} finally {
  await browser.close();
  await server.stop();
}
