import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { qrTerms, startHttpApp, type HttpApp } from './support/http-app.js';

/**
 * Amazon failing, hanging or forging its answers, over real HTTP: the caller gets a retryable
 * 5xx with a clear code, no order changes on an answer that is not Amazon's, and the next call works.
 */
describe('upstream faults over HTTP', () => {
  let server: HttpApp;
  before(async () => (server = await startHttpApp()));
  after(() => server.close());

  it('answers 502 to a forged Amazon signature and trusts only a verified answer after it', async () => {
    await server.call('POST', '/qr', qrTerms('FORGED'));
    server.sandbox.pay('FORGED', { notify: false });
    server.sandbox.faults.set({ badSignature: 1 });
    const forged = await server.call('POST', '/qr/FORGED/cancel', { reason: 'USER_CANCELLATION', refund: true });
    assert.equal(forged.status, 502);
    assert.equal(forged.body.code, 'UPSTREAM_ERROR');
    assert.doesNotMatch(String(forged.body.message), /signature/);
    assert.ok(server.logged.some((line) => (line.amazonPay as { kind?: string } | undefined)?.kind === 'signature'));
    // The forged cancel answer was not recorded; the signed Get status after it decides.
    const view = await server.call('GET', '/qr/FORGED');
    assert.equal(view.body.cancel, undefined);
    assert.equal(view.body.status, 'cancelled');
    assert.equal(server.sandbox.order('FORGED')?.refunds.length, 1);
  });

  it('answers 502 to a forged Generate QR answer: no QR reaches the cashier', async () => {
    server.sandbox.faults.set({ badSignature: 1 });
    const forged = await server.call('POST', '/qr', qrTerms('FORGED-QR'));
    assert.equal(forged.status, 502);
    assert.equal(forged.body.qrString, undefined);
    assert.equal((await server.call('GET', '/qr/FORGED-QR')).status, 404);
    // Amazon made that QR, but nobody can show it: the retry says to start with a new order id.
    const retried = await server.call('POST', '/qr', qrTerms('FORGED-QR'));
    assert.equal(retried.status, 409);
    assert.equal(retried.body.code, 'ORDER_CONFLICT');
    assert.match(String(retried.body.message), /never reached this backend.*new order id/);
  });

  it('answers 503 while Amazon fails, and creates the same order once it is back', async () => {
    server.sandbox.faults.set({ status: 503 });
    const failed = await server.call('POST', '/qr', qrTerms('OUTAGE'));
    assert.equal(failed.status, 503);
    assert.equal(failed.body.code, 'UPSTREAM_UNAVAILABLE');
    const created = await server.call('POST', '/qr', qrTerms('OUTAGE'));
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'pending');
  });

  it('answers 504 within the client timeout when Amazon hangs, and serves the next call', async () => {
    // A second's timeout: short beside a hang that never ends, long beside a loaded machine's answer.
    const timeoutMs = 1_000;
    const impatient = await startHttpApp({ AMAZON_PAY_TIMEOUT_MS: String(timeoutMs) });
    try {
      impatient.sandbox.faults.set({ hang: 1 });
      const started = Date.now();
      const hung = await impatient.call('POST', '/qr', qrTerms('HANG'));
      assert.equal(hung.status, 504);
      assert.equal(hung.body.code, 'UPSTREAM_TIMEOUT');
      assert.ok(Date.now() - started < timeoutMs + 2_000, `answered ${Date.now() - started} ms after the request`);
      assert.equal((await impatient.call('POST', '/qr', qrTerms('AFTER-HANG'))).status, 201);
    } finally {
      await impatient.close();
    }
  });

  it('keeps a cancel that failed upstream retryable: the order stays pending and the retry cancels it', async () => {
    await server.call('POST', '/qr', qrTerms('CANCEL-503'));
    server.sandbox.faults.set({ status: 503, count: 3 });
    const body = { reason: 'USER_CANCELLATION', refund: true };
    const failed = await server.call('POST', '/qr/CANCEL-503/cancel', body);
    assert.equal(failed.status, 503);
    server.sandbox.faults.clear();
    assert.equal((await server.call('GET', '/qr/CANCEL-503')).body.status, 'pending');
    assert.equal((await server.call('POST', '/qr/CANCEL-503/cancel', body)).body.status, 'cancelled');
  });
});
