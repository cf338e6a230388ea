import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { FaultSettings } from '../../src/server/sandbox/index.js';
import { demoForSuite, watchPage } from './harness.js';

/**
 * Chrome logs every error answer as a console error: the 502s and 503s the faults cause, and the
 * 409 Amazon Pay gives when a create whose answer was forged is tried again. Nothing else is allowed.
 */
const INJECTED = /Failed to load resource: the server responded with a status of (409|502|503)/;

/**
 * The POS demo under its strict Content-Security-Policy against `npm start`, with Amazon Pay (the
 * sandbox) failing the way it does in production: 5xx bursts, latency, forged answers, lost IPNs.
 */
describe('POS demo with Amazon Pay faults', () => {
  const demo = demoForSuite();
  afterEach(async () => {
    await fetch(`${demo.server.url}/sandbox/control/faults`, { method: 'DELETE' });
  });

  async function setFaults(settings: FaultSettings): Promise<FaultSettings> {
    const response = await fetch(`${demo.server.url}/sandbox/control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });
    assert.equal(response.status, 200);
    return (await response.json()) as FaultSettings;
  }

  async function sandbox(path: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${demo.server.url}/sandbox/control/${path}`);
    return (await response.json()) as Record<string, unknown>;
  }

  /** The customer pays, through the sandbox's control endpoint. */
  async function pay(orderId: string) {
    const response = await fetch(`${demo.server.url}/sandbox/control/orders/${orderId}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(response.status, 200);
  }

  /** Opens the POS, types the amount and presses charge; resolves once the order id is shown. */
  async function startCharge(amount: string, setup?: (page: Page) => Promise<void>) {
    const page = await demo.browser.newPage();
    const problems = watchPage(page);
    await setup?.(page);
    await page.goto(`${demo.server.url}/index.html`);
    await page.fill('#amount', amount);
    await page.click('#charge');
    await page.waitForSelector('#order-id:not(:empty)');
    const orderId = (await page.textContent('#order-id')) ?? '';
    const unexpected = () => problems.filter((problem) => !INJECTED.test(problem));
    return { page, orderId, unexpected };
  }

  const status = (page: Page) => page.locator('amazonpay-dqr').getAttribute('status');
  const statusText = (page: Page) => page.locator('amazonpay-dqr [part~="status"]').textContent();

  it('charges through three 503s from Amazon Pay: the element retries, the customer pays', async () => {
    await setFaults({ status: 503, count: 3 });
    const { page, orderId, unexpected } = await startCharge('120');
    await page.waitForSelector('amazonpay-dqr[status="pending"]');
    assert.equal((await setFaults({})).count, undefined, 'all three 503s were used');
    await pay(orderId);
    await page.waitForSelector('amazonpay-dqr[status="paid"]');
    assert.match((await page.locator('#log .log-paid').textContent()) ?? '', new RegExp(orderId));
    assert.deepEqual(unexpected(), []);
    await page.close();
  });

  it('charges with Amazon Pay 3 s slow on every call', async () => {
    await setFaults({ latencyMs: 3000 });
    const { page, orderId, unexpected } = await startCharge('75.5');
    await page.waitForSelector('amazonpay-dqr[status="pending"]');
    await pay(orderId);
    await page.waitForSelector('amazonpay-dqr[status="paid"]', { timeout: 30_000 });
    assert.deepEqual(unexpected(), []);
    await page.close();
  });

  it('shows an error and never reports paid when Amazon Pay answers are forged', async () => {
    await setFaults({ badSignature: 1000 });
    const { page, orderId, unexpected } = await startCharge('99');
    await page.waitForSelector('amazonpay-dqr[status="error"]');
    assert.match((await statusText(page)) ?? '', /^Something went wrong: /);
    assert.equal(await page.locator('amazonpay-dqr [part~="qr"]').count(), 0, 'no QR from a forged answer');
    const view = await fetch(`${demo.server.url}/api/dqr/qr/${orderId}`);
    assert.notEqual(((await view.json()) as { status?: string }).status, 'paid');
    assert.equal(await page.locator('#log .log-paid').count(), 0);
    assert.deepEqual(unexpected(), []);
    await page.close();
  });

  it('does not take a forged "paid" from Amazon Pay, and takes the verified one', async () => {
    const { page, orderId, unexpected } = await startCharge('42');
    await page.waitForSelector('amazonpay-dqr[status="pending"]');
    await setFaults({ badSignature: 1000 });
    await pay(orderId);
    // Wait until the backend has asked Amazon Pay three times and been answered with forgeries.
    for (let left = 1000; left > 997;) {
      await page.waitForTimeout(250);
      left = (await setFaults({})).badSignature ?? 0;
    }
    assert.equal(await status(page), 'pending');
    assert.equal(await page.locator('#log .log-paid').count(), 0);
    await fetch(`${demo.server.url}/sandbox/control/faults`, { method: 'DELETE' });
    // The backend's next check (at the latest when the element's 25 s long poll is renewed) verifies.
    await page.waitForSelector('amazonpay-dqr[status="paid"]', { timeout: 60_000 });
    assert.deepEqual(unexpected(), []);
    await page.close();
  });

  it('finds the payment by polling when the IPN is lost', async () => {
    await setFaults({ dropIpn: 1 });
    const { page, orderId, unexpected } = await startCharge('310');
    await page.waitForSelector('amazonpay-dqr[status="pending"]');
    await pay(orderId);
    await page.waitForSelector('amazonpay-dqr[status="paid"]', { timeout: 15_000 });
    const order = await sandbox(`orders/${orderId}`);
    assert.deepEqual(order.notifications, { sent: 0, dropped: 1 });
    assert.deepEqual(unexpected(), []);
    await page.close();
  });
});
