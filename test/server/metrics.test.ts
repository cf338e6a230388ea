import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startHttpApp, qrTerms, type HttpApp } from './support/http-app.js';
import { scrape } from './support/prometheus.js';
import { subscribed, until } from './support/store-wait.js';
import { tokensFile } from './support/terminal-tokens.js';

/** The operator's scrape token: long and random, as `openssl rand -hex 32` makes one. */
const TOKEN = 'c0ffee'.repeat(8);
const cancel = { reason: 'USER_CANCELLATION', refund: true };

describe('metrics: off unless the operator asks', () => {
  it('serves no metrics by default, and none without the token once one is set', async () => {
    const plain = await startHttpApp();
    try {
      assert.equal((await fetch(`${plain.origin}/metrics`)).status, 404);
    } finally {
      await plain.close();
    }
    const guarded = await startHttpApp({ DQR_METRICS_TOKEN: TOKEN, DQR_METRICS_PATH: '/ops/metrics' });
    try {
      assert.equal((await fetch(`${guarded.origin}/metrics`)).status, 404);
      const url = `${guarded.origin}/ops/metrics`;
      for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
        const refused = await fetch(url, { headers: authorization ? { authorization } : {} });
        assert.equal(refused.status, 401, authorization);
        const text = await refused.text();
        assert.equal((JSON.parse(text) as { code: string }).code, 'UNAUTHORIZED');
        assert.doesNotMatch(text, /dqr_/);
      }
      const answered = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(answered.status, 200);
      assert.match(answered.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
      const body = await answered.text();
      assert.match(body, /^# HELP dqr_qr_created_total /m);
      assert.match(body, /^process_resident_memory_bytes \d+/m, 'with the process metrics');
      const posted = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(posted.status, 405);
      assert.equal(posted.headers.get('allow'), 'GET, HEAD');
    } finally {
      await guarded.close();
    }
  });

  it('refuses a token an attacker could guess, and a metrics path the server already answers', async () => {
    await assert.rejects(startHttpApp({ DQR_METRICS_TOKEN: 'short' }), /DQR_METRICS_TOKEN must be at least 32/);
    await assert.rejects(startHttpApp({ DQR_METRICS_TOKEN: TOKEN, DQR_METRICS_PATH: '/api/dqr/metrics' }), /overlaps/);
    await assert.rejects(startHttpApp({ DQR_METRICS_TOKEN: TOKEN, DQR_METRICS_PATH: '/readyz' }), /overlaps/);
  });
});

describe('metrics: what happened to the orders', () => {
  let server: HttpApp;
  const read = () => scrape(`${server.origin}/metrics`, TOKEN);
  before(async () => (server = await startHttpApp({ DQR_METRICS_TOKEN: TOKEN })));
  after(() => server.close());

  it('counts QRs created, paid, expired, cancelled by outcome, late payments and their refunds', async () => {
    for (const orderId of ['M-PAID', 'M-CANCEL', 'M-REFUND', 'M-EXPIRE', 'M-LATE']) {
      assert.equal((await server.call('POST', '/qr', qrTerms(orderId))).status, 201);
    }
    server.sandbox.pay('M-PAID');
    await server.sandbox.settled();
    assert.equal((await server.call('GET', '/qr/M-PAID')).body.status, 'paid');
    assert.equal((await server.call('POST', '/qr/M-CANCEL/cancel', cancel)).body.status, 'cancelled');
    server.sandbox.pay('M-REFUND', { notify: false });
    const refunded = await server.call('POST', '/qr/M-REFUND/cancel', cancel);
    assert.equal((refunded.body.cancel as { outcome: string }).outcome, 'RefundApplicable');
    await server.call('POST', '/qr/M-LATE/cancel', cancel);
    // The refund is asked for in the background once the notification is handled.
    const lateRefund = until(
      server.store,
      'M-LATE',
      (record) => record.latePayment?.refundStatus === 'Approved',
      10_000,
    );
    server.sandbox.pay('M-LATE');
    await server.sandbox.settled();
    server.clock.advance(121_000);
    assert.equal((await server.call('GET', '/qr/M-EXPIRE')).body.status, 'expired');
    await lateRefund;

    const metrics = await read();
    assert.equal(metrics.value('dqr_qr_created_total'), 5);
    assert.equal(metrics.value('dqr_orders_ended_total', { status: 'paid' }), 1);
    assert.equal(metrics.value('dqr_orders_ended_total', { status: 'expired' }), 1);
    assert.equal(metrics.value('dqr_orders_ended_total', { status: 'cancelled', outcome: 'Approved' }), 2);
    assert.equal(metrics.value('dqr_orders_ended_total', { status: 'cancelled', outcome: 'RefundApplicable' }), 1);
    assert.equal(metrics.value('dqr_late_payments_total'), 1);
    assert.equal(metrics.value('dqr_late_payment_refunds_total', { status: 'Approved' }), 1);
    assert.equal(metrics.value('dqr_http_requests_total', { route: 'POST /qr', status: '201' }), 5);
    assert.equal(metrics.value('dqr_notifications_total', { result: 'accepted' }), 2);
    assert.ok(metrics.value('dqr_store_operation_duration_seconds_count', { operation: 'update' }) >= 5);
    assert.equal(metrics.value('dqr_store_errors_total'), 0);
    assert.equal(metrics.value('dqr_amazon_call_duration_seconds_count', { call: 'generateQr', status: '200' }), 5);
    assert.equal(metrics.value('dqr_amazon_call_duration_seconds_count', { call: 'refund', status: '200' }), 1);
    assert.ok(metrics.value('dqr_amazon_call_duration_seconds_count', { call: 'cancel', status: '200' }) >= 3);
  });

  it('counts Amazon Pay calls that failed by what went wrong: a 5xx, a forged signature', async () => {
    server.sandbox.faults.set({ status: 500 });
    assert.equal((await server.call('POST', '/qr', qrTerms('M-500'))).status, 503);
    server.sandbox.faults.set({ badSignature: 1 });
    assert.equal((await server.call('POST', '/qr', qrTerms('M-FORGED'))).status, 502);
    const metrics = await read();
    assert.equal(metrics.value('dqr_amazon_call_duration_seconds_count', { call: 'generateQr', status: '500' }), 1);
    assert.equal(
      metrics.value('dqr_amazon_call_duration_seconds_count', { call: 'generateQr', status: 'signature' }),
      1,
    );
  });

  it('counts the long polls held now', async () => {
    await server.call('POST', '/qr', qrTerms('M-HELD'));
    const holding = subscribed(server.store, 'M-HELD');
    const held = server.call('GET', '/qr/M-HELD?wait=30');
    await holding;
    assert.equal((await read()).value('dqr_long_polls'), 1);
    server.sandbox.pay('M-HELD');
    assert.equal((await held).body.status, 'paid');
    assert.equal((await read()).value('dqr_long_polls'), 0);
  });

  it('counts rejected notifications by reason, and signature failures reach onError', async () => {
    const genuine = server.notifications.at(-1)!;
    const envelope = JSON.parse(genuine) as Record<string, string>;
    const forged = { ...envelope, MessageId: 'forged-1', Message: envelope.Message.replace('M-', 'X-') };
    const foreign = { ...envelope, MessageId: 'foreign-1', TopicArn: 'arn:aws:sns:eu-west-1:999999999999:other' };
    for (const body of [forged, foreign, 'not json']) {
      const answer = await fetch(`${server.origin}/api/dqr/ipn`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      assert.equal(answer.status, 400);
    }
    const metrics = await read();
    for (const reason of ['signature', 'topic', 'not_json']) {
      assert.equal(metrics.value('dqr_notifications_total', { result: 'rejected', reason }), 1, reason);
    }
    assert.ok(server.errors.some((error) => String(error).includes('signature does not verify')));
  });
});

describe('metrics: refusals at the door', () => {
  it('counts 401, 403 and 429 answers by route', async () => {
    const tokens = tokensFile([
      { terminalId: 'till-1', storeId: 'STORE-1' },
      { terminalId: 'till-2', storeId: 'STORE-1' },
    ]);
    const server = await startHttpApp({
      DQR_TERMINAL_TOKENS_FILE: tokens.file,
      DQR_MAX_PENDING_PER_TERMINAL: '1',
      DQR_METRICS_TOKEN: TOKEN,
    });
    try {
      assert.equal((await server.call('POST', '/qr', qrTerms('R-1'))).status, 401);
      assert.equal((await server.call('POST', '/qr', qrTerms('R-1'), tokens.as('till-1'))).status, 201);
      assert.equal((await server.call('POST', '/qr', qrTerms('R-2'), tokens.as('till-1'))).status, 429);
      assert.equal((await server.call('GET', '/qr/R-1', undefined, tokens.as('till-2'))).status, 403);
      const metrics = await scrape(`${server.origin}/metrics`, TOKEN);
      assert.equal(metrics.value('dqr_http_requests_total', { route: 'POST /qr', status: '401' }), 1);
      assert.equal(metrics.value('dqr_http_requests_total', { route: 'POST /qr', status: '429' }), 1);
      assert.equal(metrics.value('dqr_http_requests_total', { route: 'GET /qr/:orderId', status: '403' }), 1);
    } finally {
      await server.close();
    }
  });
});
