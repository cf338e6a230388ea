import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { decodeQr, demoForSuite, watchPage } from './harness.js';

/**
 * The counter features of the demo against the server `npm start` runs: a customer display in a
 * second page mirrors the cashier's QR and result without calling the backend itself; the
 * script-tag shop page fetches its language and kiosk mode beside the standalone file.
 */

/**
 * Opens the script-tag shop page with its HTML changed by `edit`; returns the paths of the language
 * and feature files the standalone file fetched beside itself.
 */
async function openShop(page: Page, url: string, edit: (html: string) => string): Promise<string[]> {
  await page.route('**/shop.html', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: edit(await response.text()) });
  });
  const fetched: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/lang/') || pathname.startsWith('/features/')) fetched.push(pathname);
  });
  await page.goto(`${url}/shop.html`);
  return fetched;
}

/** The shop page's HTML as if its `<html>` said `lang`. */
const inLanguage = (lang: string) => (html: string) => html.replace('<html lang="en">', `<html lang="${lang}">`);

describe('counter features', () => {
  const demo = demoForSuite();

  it('mirrors the cashier’s QR and result on a customer display page, which never calls the backend', async () => {
    const context = await demo.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const pos = await context.newPage();
    const customer = await context.newPage();
    const problems = [watchPage(pos), watchPage(customer)];
    const customerCalls: string[] = [];
    customer.on('request', (request) => {
      if (request.url().includes('/api/')) customerCalls.push(request.url());
    });
    await pos.goto(`${demo.server.url}/index.html`);
    await pos.selectOption('#language', 'hi');
    await pos.click('#charge');
    await pos.waitForSelector('amazonpay-dqr[status="pending"]');
    // The display opens after the QR is up: it asks the cashier's element for the state.
    await customer.goto(`${demo.server.url}/customer.html?lang=hi`);
    await customer.waitForSelector('amazonpay-dqr[status="pending"]');
    const shown = await decodeQr(customer.locator('amazonpay-dqr [part~="qr"]'));
    assert.equal(shown, await decodeQr(pos.locator('amazonpay-dqr [part~="qr"]')));
    assert.equal(await customer.locator('amazonpay-dqr [part~="cancel-button"]').count(), 0);
    await assert.doesNotReject(customer.getByText('भुगतान के लिए किसी भी UPI ऐप').waitFor());

    await pos.getByRole('button', { name: 'Customer pays', exact: true }).click();
    await customer.waitForSelector('amazonpay-dqr[status="paid"]');
    assert.deepEqual(customerCalls, []);
    assert.deepEqual(problems.flat(), []);
    await context.close();
  });

  it('the standalone file loads lang/hi.js beside itself for a Hindi page and shows the QR in Hindi', async () => {
    const page = await demo.browser.newPage();
    const problems = watchPage(page);
    const fetched = await openShop(page, demo.server.url, inLanguage('hi'));
    await page.waitForSelector('amazonpay-dqr[status="pending"]');
    await assert.doesNotReject(page.getByText('भुगतान के लिए किसी भी UPI ऐप').waitFor());
    assert.equal(await page.getByText('Scan the QR code with any UPI app').count(), 0);
    assert.match((await decodeQr(page.locator('amazonpay-dqr [part~="qr"]'))) ?? '', /^upi:\/\/pay\?/);
    assert.deepEqual(fetched, ['/lang/hi.js']);
    // A document served through page.route loses its local-network standing, so Chromium refuses
    // Vite's live-reload socket: not the page's doing.
    assert.deepEqual(
      problems.filter((problem) => !problem.includes('/@vite/client')),
      [],
    );
    await page.close();
  });

  it('the standalone file loads features/kiosk.js beside itself for a kiosk and shows the QR across the screen', async () => {
    const page = await demo.browser.newPage({ viewport: { width: 1080, height: 1920 } });
    const problems = watchPage(page);
    const fetched = await openShop(page, demo.server.url, (html) =>
      html.replace('<amazonpay-dqr ', '<amazonpay-dqr kiosk '),
    );
    await page.waitForSelector('amazonpay-dqr[status="pending"]');
    const qr = page.locator('amazonpay-dqr [part~="qr"]');
    assert.match((await decodeQr(qr)) ?? '', /^upi:\/\/pay\?/);
    // Without kiosk mode the QR keeps its card size (320 px here); a kiosk's fills the element.
    const { width } = (await qr.boundingBox())!;
    const column = await page.locator('amazonpay-dqr').evaluate((element) => element.clientWidth);
    assert.ok(width > 0.8 * column, `a ${width} px QR in a ${column} px element`);
    assert.deepEqual(fetched, ['/features/kiosk.js']);
    assert.deepEqual(
      problems.filter((problem) => !problem.includes('/@vite/client')),
      [],
    );
    await page.close();
  });

  it('shows English with one warning when the page’s language file cannot be fetched', async () => {
    const page = await demo.browser.newPage();
    await page.route('**/lang/ta.js', (route) => route.fulfill({ status: 404, body: 'Not found' }));
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning' && message.text().startsWith('<amazonpay-dqr>')) warnings.push(message.text());
    });
    await openShop(page, demo.server.url, inLanguage('ta'));
    await page.waitForSelector('amazonpay-dqr[status="pending"]');
    await assert.doesNotReject(page.getByText('Scan the QR code with any UPI app').waitFor());
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /"ta" language did not load, so English is shown instead/);
    await page.close();
  });
});
