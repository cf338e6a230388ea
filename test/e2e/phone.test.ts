import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { decodeQr, demoForSuite, watchPage } from './harness.js';

/** A small Android phone: 360 × 740 CSS px, touch only. */
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
/** The smallest touch target WCAG 2.2's enhanced target size (2.5.5) and both phone platforms' guides ask for. */
const TARGET_PX = 44;

/** Every link and button on the page, the element's own included, with its size on screen. */
function targets(page: Page) {
  return page.evaluate(() => {
    const host = document.querySelector('amazonpay-dqr')!;
    const all = [...document.querySelectorAll('a, button'), ...host.shadowRoot!.querySelectorAll('a, button')];
    return all
      .filter((node) => node.getClientRects().length > 0)
      .map((node) => {
        const box = node.getBoundingClientRect();
        return { name: node.textContent!.trim(), width: Math.round(box.width), height: Math.round(box.height) };
      });
  });
}

/** The parts a shopper needs, each as its box on screen. */
function boxes(page: Page) {
  return page.evaluate(() => {
    const root = document.querySelector('amazonpay-dqr')!.shadowRoot!;
    return ['qr', 'amount', 'countdown'].map((name) => {
      const box = root.querySelector(`[part~="${name}"]`)!.getBoundingClientRect();
      return { name, left: box.left, right: box.right };
    });
  });
}

describe('the script-tag shop page on a phone', () => {
  const demo = demoForSuite();

  it('fits 360 px with a coarse pointer: no sideways scroll, QR, amount and countdown in view, every target 44 px, a link to the UPI apps', async () => {
    const context = await demo.browser.newContext(PHONE);
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto(`${demo.server.url}/shop.html`);
    await page.waitForSelector('amazonpay-dqr[status="pending"]');
    assert.equal(await page.evaluate(() => matchMedia('(pointer: coarse)').matches), true, 'a touch screen');

    // A phone zooms a page that overflows out to fit it: the layout must be the screen's width, unzoomed.
    const width = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      zoom: visualViewport!.scale,
    }));
    assert.deepEqual(width, { page: PHONE.viewport.width, zoom: 1 }, 'the page is as wide as the screen');
    for (const box of await boxes(page)) {
      assert.ok(box.left >= 0 && box.right <= PHONE.viewport.width, `${box.name} spans ${box.left}–${box.right} px`);
    }
    const small = (await targets(page)).filter((target) => target.width < TARGET_PX || target.height < TARGET_PX);
    assert.deepEqual(small, [], 'touch targets under 44 × 44 px');

    const upi = await decodeQr(page.locator('amazonpay-dqr [part~="qr"]'));
    assert.equal(new URL(upi!).searchParams.get('am'), '799.00');
    const link = page.locator('amazonpay-dqr [part~="pay-on-device"]');
    assert.equal(await link.textContent(), 'Pay with a UPI app');
    assert.equal(await link.getAttribute('href'), upi, 'the link opens the payment the QR holds');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('offers no UPI-app link on a desktop, where a phone scans the QR', async () => {
    const page = await demo.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${demo.server.url}/shop.html`);
    await page.waitForSelector('amazonpay-dqr[status="pending"]');
    assert.equal(await page.locator('amazonpay-dqr [part~="pay-on-device"]').count(), 0);
    await page.close();
  });
});
