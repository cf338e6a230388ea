import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { decodeQr, launchChromium, startDemoServer, watchPage, type DemoServer } from './harness.js';

/**
 * The counter features of the demo against the server `npm start` runs: a customer display in a
 * second page mirrors the cashier's QR and result without calling the backend itself.
 */
describe('counter features', () => {
  let server: DemoServer;
  let browser: Browser;

  before(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('mirrors the cashier’s QR and result on a customer display page, which never calls the backend', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const pos = await context.newPage();
    const customer = await context.newPage();
    const problems = [watchPage(pos), watchPage(customer)];
    const customerCalls: string[] = [];
    customer.on('request', (request) => {
      if (request.url().includes('/api/')) customerCalls.push(request.url());
    });
    await pos.goto(`${server.url}/index.html`);
    await pos.selectOption('#language', 'hi');
    await pos.click('#charge');
    await pos.waitForSelector('amazonpay-dqr[status="pending"]');
    // The display opens after the QR is up: it asks the cashier's element for the state.
    await customer.goto(`${server.url}/customer.html?lang=hi`);
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
});
