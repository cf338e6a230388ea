import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { qrTerms, startHttpApp, type HttpApp } from './support/http-app.js';
import { until } from './support/store-wait.js';

/**
 * Races and the cancel outcomes over real HTTP: backend and sandbox on loopback, one clock.
 */
describe('races and cancel outcomes over HTTP', () => {
  let server: HttpApp;
  before(async () => (server = await startHttpApp()));
  after(() => server.close());

  it('gives one QR for two POST /qr at once: one Generate QR upstream, 201 then 200 with the same QR', async () => {
    const calls = server.sandbox.calls.generateQr;
    const answers = await Promise.all([
      server.call('POST', '/qr', qrTerms('RACE-QR')),
      server.call('POST', '/qr', qrTerms('RACE-QR')),
    ]);
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 201]);
    assert.equal(answers[0].body.qrString, answers[1].body.qrString);
    assert.equal(server.sandbox.calls.generateQr, calls + 1);
  });

  it('sends one cancel upstream for two cancels at once, and both answer the cancelled order', async () => {
    await server.call('POST', '/qr', qrTerms('RACE-CANCEL'));
    const calls = server.sandbox.calls.cancel;
    const body = { reason: 'USER_CANCELLATION', refund: true };
    const answers = await Promise.all([
      server.call('POST', '/qr/RACE-CANCEL/cancel', body),
      server.call('POST', '/qr/RACE-CANCEL/cancel', body),
    ]);
    for (const answer of answers) {
      assert.equal(answer.status, 200);
      assert.equal(answer.body.status, 'cancelled');
      assert.deepEqual(answer.body.cancel, { outcome: 'Approved', refund: true });
    }
    assert.equal(server.sandbox.calls.cancel, calls + 1);
  });

  it('Approved: a cancel before any payment ends the order with nothing to refund', async () => {
    await server.call('POST', '/qr', qrTerms('OUT-APPROVED'));
    const answer = await server.call('POST', '/qr/OUT-APPROVED/cancel', { reason: 'USER_CANCELLATION', refund: true });
    assert.equal(answer.body.status, 'cancelled');
    assert.equal((answer.body.cancel as { outcome: string }).outcome, 'Approved');
    assert.deepEqual(server.sandbox.order('OUT-APPROVED')?.refunds, []);
  });

  it('RefundApplicable: a payment the backend has not seen yet is refunded by the cancel, never reported paid', async () => {
    await server.call('POST', '/qr', qrTerms('OUT-REFUND'));
    server.sandbox.pay('OUT-REFUND', { notify: false });
    const answer = await server.call('POST', '/qr/OUT-REFUND/cancel', { reason: 'USER_CANCELLATION', refund: true });
    assert.equal(answer.body.status, 'cancelled');
    assert.deepEqual(answer.body.cancel, { outcome: 'RefundApplicable', refund: true });
    const ledger = server.sandbox.order('OUT-REFUND')!;
    assert.equal(ledger.refunds.length, 1);
    assert.equal(ledger.refunds[0].amount, '249.00');
    assert.equal((await server.call('GET', '/qr/OUT-REFUND')).body.status, 'cancelled');
  });

  it('RefundApplicableButNotRequested: a charge kept on purpose is reported in the view', async () => {
    await server.call('POST', '/qr', qrTerms('OUT-KEPT'));
    server.sandbox.pay('OUT-KEPT', { notify: false });
    const answer = await server.call('POST', '/qr/OUT-KEPT/cancel', { reason: 'USER_CANCELLATION', refund: false });
    assert.deepEqual(answer.body.cancel, { outcome: 'RefundApplicableButNotRequested', refund: false });
    assert.ok(answer.body.amazonChargeId);
    assert.deepEqual(server.sandbox.order('OUT-KEPT')?.refunds, []);
  });

  it('a cancel after the order was paid changes nothing and sends nothing upstream', async () => {
    await server.call('POST', '/qr', qrTerms('PAID-FIRST'));
    server.sandbox.pay('PAID-FIRST');
    await server.sandbox.settled();
    const calls = server.sandbox.calls.cancel;
    const answer = await server.call('POST', '/qr/PAID-FIRST/cancel', { reason: 'USER_CANCELLATION', refund: true });
    assert.equal(answer.body.status, 'paid');
    assert.equal(answer.body.cancel, undefined);
    assert.equal(server.sandbox.calls.cancel, calls);
  });

  it('expires when the clock passes the QR expiry', async () => {
    await server.call('POST', '/qr', qrTerms('CLOCK-EXPIRY', { expiresIn: 60 }));
    server.clock.advance(61_000);
    const answer = await server.call('GET', '/qr/CLOCK-EXPIRY');
    assert.equal(answer.body.status, 'expired');
    assert.equal(answer.body.qrString, undefined);
  });

  it('refunds a payment that lands after a cancel exactly once, even with the notification replayed', async () => {
    await server.call('POST', '/qr', qrTerms('LATE-PAY'));
    await server.call('POST', '/qr/LATE-PAY/cancel', { reason: 'USER_CANCELLATION', refund: true });
    const seen = server.notifications.length;
    // The refund is a job the worker runs once the notification is handled: its record says when.
    const refunded = until(
      server.store,
      'LATE-PAY',
      (record) => record.latePayment?.refundStatus === 'Approved',
      10_000,
    );
    server.sandbox.pay('LATE-PAY');
    await server.sandbox.settled();
    const envelope = server.notifications.slice(seen).find((text) => text.includes('LATE-PAY'));
    assert.ok(envelope, 'the late payment was notified');
    const replay = await fetch(`${server.origin}/api/dqr/ipn`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=UTF-8' },
      body: envelope,
    });
    assert.equal(replay.status, 200);
    server.clock.advance(5 * 60_000);
    await refunded;
    const view = await server.call('GET', '/qr/LATE-PAY');
    assert.equal(view.body.status, 'cancelled');
    assert.equal((view.body.latePayment as { refundStatus: string }).refundStatus, 'Approved');
    assert.equal(server.sandbox.order('LATE-PAY')?.refunds.length, 1);
  });
});
