import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { decodeQr, demoForSuite, watchPage } from './harness.js';

/**
 * The POS demo as a cashier uses it, against the server `npm start` runs: the reference backend in
 * sandbox mode, signing every call to the Amazon Pay emulator over real HTTP.
 */
describe('POS demo', () => {
  const demo = demoForSuite();

  async function charge(
    amount: string,
    setup: { beforeLoad?: (page: Page) => Promise<void>; beforeCharge?: (page: Page) => Promise<void> } = {},
  ) {
    const page = await demo.browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const problems = watchPage(page);
    await setup.beforeLoad?.(page);
    await page.goto(`${demo.server.url}/index.html`);
    await setup.beforeCharge?.(page);
    await page.fill('#amount', '');
    await page.locator('#amount').pressSequentially(amount);
    await page.click('#charge');
    await page.waitForSelector('amazonpay-dqr[status="pending"]');
    const orderId = (await page.textContent('#order-id')) ?? '';
    return { page, orderId, problems };
  }

  it('charges: the QR on screen pays the amount, the customer pays, the cashier sees paid', async () => {
    const { page, orderId, problems } = await charge('1249.5');
    const upi = await decodeQr(page.locator('amazonpay-dqr [part~="qr"]'));
    assert.match(upi ?? '', /^upi:\/\/pay\?/);
    assert.equal(new URL(upi!).searchParams.get('am'), '1249.50');
    await assert.doesNotReject(page.getByText('₹1,249.50').first().waitFor());
    const mark = page.locator('amazonpay-dqr [part~="sandbox"]');
    assert.equal(await mark.textContent(), 'Sandbox — no real money');
    assert.ok(await mark.isVisible(), 'the cashier sees that no real money moves');

    await page.getByRole('button', { name: 'Customer pays', exact: true }).click();
    await page.waitForSelector('amazonpay-dqr[status="paid"]');
    const logged = await page.locator('#log .log-paid').textContent();
    assert.match(logged ?? '', new RegExp(orderId));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('reloaded after the customer paid while it was away: the till resumes the order and sees paid', async () => {
    const { page, orderId, problems } = await charge('420');
    await page.goto('about:blank');
    const paid = await fetch(`${demo.server.url}/sandbox/control/orders/${orderId}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(paid.status, 200);
    await page.goto(`${demo.server.url}/index.html`);
    await page.waitForSelector('amazonpay-dqr[status="paid"]');
    assert.equal(await page.textContent('#order-id'), orderId);
    assert.match((await page.locator('#log .log-paid').textContent()) ?? '', new RegExp(`"orderId":"${orderId}"`));
    assert.ok(await page.locator('#charge').isEnabled(), 'the next sale can start');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('cancels before the customer pays: Approved, no refund needed', async () => {
    const { page, problems } = await charge('80');
    await page.click('#cancel');
    await page.waitForSelector('amazonpay-dqr[status="cancelled"]');
    assert.match((await page.locator('#log .log-cancel').textContent()) ?? '', /"outcome":"Approved"/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('cancels as the payment lands: the customer gets a refund', async () => {
    const { page, problems } = await charge('310');
    await page.getByRole('button', { name: 'Pays as the cashier cancels' }).click();
    await page.waitForSelector('amazonpay-dqr[status="cancelled"]');
    assert.match((await page.locator('#log .log-cancel').textContent()) ?? '', /"outcome":"RefundApplicable"/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('expires: the QR is cancelled upstream and the cashier sees it expired', async () => {
    const { page, problems } = await charge('55', {
      beforeLoad: (page) => page.clock.install(),
      beforeCharge: (page) => page.uncheck('#regenerate'),
    });
    await page.clock.fastForward('05:01');
    await page.waitForSelector('amazonpay-dqr[status="expired"]');
    assert.match((await page.locator('#log .log-expired').textContent()) ?? '', /"orderId"/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('serves the script-tag shop page: one file, the QR, the payment', async () => {
    const page = await demo.browser.newPage({ viewport: { width: 1080, height: 1920 } });
    const problems = watchPage(page);
    await page.goto(`${demo.server.url}/shop.html`);
    const element = page.locator('amazonpay-dqr');
    await page.waitForSelector('amazonpay-dqr[status="pending"]');
    const upi = await decodeQr(page.locator('amazonpay-dqr [part~="qr"]'));
    assert.equal(new URL(upi!).searchParams.get('am'), '799.00');

    const orderId = await element.getAttribute('order-id');
    const paid = await page.request.post(`${demo.server.url}/sandbox/control/orders/${orderId}/pay`, { data: {} });
    assert.equal(paid.status(), 200);
    await page.waitForSelector('amazonpay-dqr[status="paid"]');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
