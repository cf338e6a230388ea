import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AmazonPayError } from '../../src/server/amazon-pay/types.js';
import { lateRefundId } from '../../src/server/backend/late-payments.js';
import { createBackendParts } from '../../src/server/backend/parts.js';
import { createMemoryStore } from '../../src/server/backend/store.js';
import type { CreateOrderInput } from '../../src/server/backend/validation.js';
import { createLogger } from '../../src/server/log.js';
import { createFakeAmazonPay } from './support/fake-amazon-pay.js';
import { until } from './support/store-wait.js';

/**
 * The status tracker and the order actions against a scripted Amazon Pay: what each Get-status word
 * does to an order, the expiry check, polling only while someone waits, and late-payment refunds.
 */

/** `promise`, kept alive (the backend's own timers do not hold the process) and failed after 2 s. */
async function within<T>(promise: Promise<T>): Promise<T> {
  let guard: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    guard = setTimeout(() => reject(new Error('did not settle within 2 s')), 2000);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(guard);
  }
}

function setup(scheduleSeconds = [0.02]) {
  let clock = Date.parse('2025-01-15T10:30:00Z');
  const now = () => clock;
  const client = createFakeAmazonPay();
  const errors: unknown[] = [];
  const { store, tracker, orders, timers, worker } = createBackendParts(
    {
      client,
      store: createMemoryStore({ now }),
      now,
      statusScheduleSeconds: scheduleSeconds,
      statusJitter: 0,
      jobs: { retryMinMs: 5, retryMaxMs: 5 },
    },
    createLogger({ level: 'silent' }),
    (error) => errors.push(error),
  );
  const order = (orderId: string): CreateOrderInput => ({
    orderId,
    amount: '249.00',
    currency: 'INR',
    expiresIn: 120,
    formats: ['string'],
  });
  return { client, store, tracker, orders, timers, worker, errors, order, advance: (ms: number) => (clock += ms) };
}

describe('status tracker', () => {
  it('marks an order paid only on SUCCESS, keeping the charge id', async () => {
    const { client, orders, tracker, order, timers, worker } = setup();
    await orders.create(order('ORD-1'));
    for (const status of ['PENDING', 'TXN_NOT_INITIATED', 'NO_RECORD_FOUND', 'AUTHORIZED', 'SUCCESS_PENDING']) {
      client.status.set('ORD-1', { status });
      assert.equal((await tracker.check('ORD-1'))?.status, 'pending', status);
    }
    client.status.set('ORD-1', { status: 'SUCCESS', amazonChargeId: 'P04-1111111-1111111' });
    const paid = await tracker.check('ORD-1');
    assert.equal(paid?.status, 'paid');
    assert.equal(paid?.amazonChargeId, 'P04-1111111-1111111');
    timers.clear();
    await worker.close();
  });

  it('maps FAILED, EXPIRED and both cancellations to their terminal states, which never change', async () => {
    const { client, orders, tracker, order, timers, worker } = setup();
    const expected = {
      FAILED: 'failed',
      EXPIRED: 'expired',
      TXN_CANCELLED_BEFORE_INITIATE: 'cancelled',
      TXN_CANCELLED_AFTER_INITIATE: 'cancelled',
    };
    for (const [status, mapped] of Object.entries(expected)) {
      const orderId = `ORD-${status.slice(0, 20)}`;
      await orders.create(order(orderId));
      client.status.set(orderId, { status });
      assert.equal((await tracker.check(orderId))?.status, mapped);
      client.status.set(orderId, { status: 'PENDING' });
      assert.equal((await tracker.check(orderId))?.status, mapped, 'a terminal state stays');
    }
    timers.clear();
    await worker.close();
  });

  it('asks Amazon once more before answering expired: a payment in the last second wins', async () => {
    const { client, orders, order, advance, timers, worker } = setup();
    await orders.create(order('ORD-LATE-WIN'));
    await orders.create(order('ORD-EXPIRES'));
    advance(120_000);
    client.status.set('ORD-LATE-WIN', { status: 'SUCCESS', amazonChargeId: 'P04-2222222-2222222' });
    assert.equal((await orders.read('ORD-LATE-WIN', 0)).status, 'paid');
    assert.equal((await orders.read('ORD-EXPIRES', 0)).status, 'expired');
    assert.deepEqual(client.calls.getStatus, ['ORD-LATE-WIN', 'ORD-EXPIRES']);
    timers.clear();
    await worker.close();
  });

  it('does not answer expired when the last check fails', async () => {
    const { client, orders, order, advance, timers, worker } = setup();
    await orders.create(order('ORD-UNSURE'));
    advance(120_000);
    client.failNext('getStatus', new AmazonPayError('network', 'network', 'connection refused'));
    await assert.rejects(orders.read('ORD-UNSURE', 0), AmazonPayError);
    assert.equal((await orders.read('ORD-UNSURE', 0)).status, 'expired');
    timers.clear();
    await worker.close();
  });

  it('polls only while a long poll waits, and wakes it on the change', async () => {
    const { client, orders, order, timers, worker } = setup([0.02]);
    await orders.create(order('ORD-POLL'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(client.calls.getStatus.length, 0, 'nobody waits, nobody polls');
    const waiting = orders.read('ORD-POLL', 5);
    await new Promise((resolve) => setTimeout(resolve, 60));
    client.status.set('ORD-POLL', { status: 'SUCCESS', amazonChargeId: 'P04-3333333-3333333' });
    const started = Date.now();
    assert.equal((await within(waiting)).status, 'paid');
    assert.ok(Date.now() - started < 1000);
    const polls = client.calls.getStatus.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(client.calls.getStatus.length, polls, 'polling stops once the order is over');
    timers.clear();
    await worker.close();
  });

  it('keeps to the schedule for a waiting terminal when a check fails', async () => {
    const { client, orders, order, timers, errors, worker } = setup([0.02]);
    await orders.create(order('ORD-FLAKY'));
    client.failNext('getStatus', new AmazonPayError('network', 'network', 'connection refused'), 2);
    client.status.set('ORD-FLAKY', { status: 'SUCCESS', amazonChargeId: 'P04-4444444-4444444' });
    assert.equal((await within(orders.read('ORD-FLAKY', 5))).status, 'paid');
    assert.equal(client.calls.getStatus.length, 3);
    assert.equal(errors.length, 2, 'each failed check is reported');
    timers.clear();
    await worker.close();
  });

  it('ends a long poll when the client goes away and stops polling for it', async () => {
    const { client, orders, order, timers, worker } = setup([0.02]);
    await orders.create(order('ORD-GONE'));
    const controller = new AbortController();
    const waiting = orders.read('ORD-GONE', 30, controller.signal);
    controller.abort();
    assert.equal((await within(waiting)).status, 'pending');
    const polls = client.calls.getStatus.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(client.calls.getStatus.length, polls);
    timers.clear();
    await worker.close();
  });

  it('refunds a payment that lands after a cancel exactly once, under an id derived from the order', async () => {
    const { client, orders, tracker, store, order, timers, worker, advance } = setup();
    await orders.create(order('ORD-CANCELLED'));
    assert.equal(
      (await orders.cancel('ORD-CANCELLED', { reason: 'USER_CANCELLATION', refund: true })).status,
      'cancelled',
    );
    client.status.set('ORD-CANCELLED', { status: 'SUCCESS', amazonChargeId: 'P04-4444444-4444444' });
    client.failNext('refund', new AmazonPayError('response', 'InternalServerError', 'try again', 500));
    await Promise.all([tracker.check('ORD-CANCELLED'), tracker.check('ORD-CANCELLED')]);
    await tracker.check('ORD-CANCELLED');
    await until(store, 'ORD-CANCELLED', (record) => record.jobs?.refund?.attempts === 1);
    advance(5);
    const refunded = await until(store, 'ORD-CANCELLED', (record) => record.latePayment?.refundStatus === 'Approved');
    assert.equal(lateRefundId('ORD-CANCELLED').length, 32);
    assert.deepEqual(refunded.latePayment, {
      amazonChargeId: 'P04-4444444-4444444',
      refundId: lateRefundId('ORD-CANCELLED'),
      refundStatus: 'Approved',
    });
    assert.equal(refunded.jobs?.refund, undefined, 'the refund job ended with the refund');
    assert.equal((await store.get('ORD-CANCELLED'))?.status, 'cancelled', 'a late payment does not make it paid');
    assert.deepEqual(
      client.calls.refund.map((call) => [call.refundId, call.chargeId, call.chargeIdType, call.amount]),
      [
        [lateRefundId('ORD-CANCELLED'), 'P04-4444444-4444444', 'AmazonTxnId', '249.00'],
        [lateRefundId('ORD-CANCELLED'), 'P04-4444444-4444444', 'AmazonTxnId', '249.00'],
      ],
      'one refund, retried once after the failure with the same id',
    );
    timers.clear();
    await worker.close();
  });

  it('does not refund a charge the cancel already dealt with', async () => {
    const { client, orders, tracker, store, order, timers, worker } = setup();
    await orders.create(order('ORD-KEPT'));
    client.cancelResult = { status: 'RefundApplicableButNotRequested', amazonChargeId: 'P04-5555555-5555555' };
    const cancelled = await orders.cancel('ORD-KEPT', { reason: 'USER_CANCELLATION', refund: false });
    assert.deepEqual(cancelled.cancel, { outcome: 'RefundApplicableButNotRequested', refund: false });
    client.status.set('ORD-KEPT', { status: 'SUCCESS', amazonChargeId: 'P04-5555555-5555555' });
    await tracker.check('ORD-KEPT');
    assert.equal((await store.get('ORD-KEPT'))?.latePayment, undefined);
    assert.equal(client.calls.refund.length, 0);
    timers.clear();
    await worker.close();
  });
});
