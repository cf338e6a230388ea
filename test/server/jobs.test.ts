import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { OrderView } from '../../src/contract/types.js';
import { createBackend, createMemoryStore, type JobEvent } from '../../src/server/backend/index.js';
import { lateRefundId, newLatePayment } from '../../src/server/backend/late-payments.js';
import { createFakeAmazonPay } from './support/fake-amazon-pay.js';
import { createLogger } from '../../src/server/log.js';
import { qrTerms } from './support/http-app.js';
import { latePayment, pass } from './support/job-steps.js';
import { createInProcessStack, type InProcessStack, type InProcessStackOptions } from './support/in-process-stack.js';

/**
 * What the backend owes, as jobs run by its worker against the sandbox, on a clock the test moves:
 * minutes of outages pass in an instant and the same way every time. Each promise is kept however
 * long Amazon fails, by one instance at a time, whether or not a till still watches.
 */
async function withStack(options: InProcessStackOptions, body: (stack: InProcessStack) => Promise<void>) {
  const stack = await createInProcessStack(options);
  try {
    await body(stack);
  } finally {
    await stack.close();
  }
}

const view = async (stack: InProcessStack, orderId: string) =>
  (await stack.call('GET', `/qr/${orderId}`)).body as unknown as OrderView;

describe('jobs: promises kept through outages', () => {
  it('keeps asking for a refund while the Refund API is down for five minutes, and makes it once it is back', () =>
    withStack({}, async (stack) => {
      const asked: number[] = [];
      const inner = stack.sandbox.fetch;
      stack.sandbox.fetch = (request) => {
        if (new URL(request.url).pathname.endsWith('/v1/payments/refund')) asked.push(stack.now());
        return inner(request);
      };
      const outageEnds = stack.now() + 5 * 60_000;
      stack.sandbox.faults.set({ status: 503, forMs: 5 * 60_000, api: 'refund' });
      await latePayment(stack, 'OUTAGE-5MIN');
      await pass(stack, 5 * 60_000 - 1_000);
      assert.equal((await view(stack, 'OUTAGE-5MIN')).latePayment?.refundStatus, 'Requested');
      assert.ok(
        asked.some((at) => at >= outageEnds - 60_000),
        `still asking in the outage's last minute (asked at ${asked.map((at) => at - asked[0]).join(', ')} ms)`,
      );
      const gaps = asked.slice(1).map((at, index) => at - asked[index]);
      assert.ok(Math.max(...gaps) <= 15_000, `waits up to the backoff cap only: ${gaps.join(', ')} ms`);
      assert.match(
        (await stack.store.get('OUTAGE-5MIN'))?.jobs?.refund?.lastError ?? '',
        /InternalServerError \(HTTP 503\)/,
      );
      // Amazon is back: the next try, at most the cap later, makes the refund.
      await pass(stack, 16_000);
      const refunded = await view(stack, 'OUTAGE-5MIN');
      assert.equal(refunded.latePayment?.refundStatus, 'Approved');
      assert.equal(refunded.status, 'cancelled');
      const ledger = stack.sandbox.order('OUTAGE-5MIN')!;
      assert.deepEqual(
        ledger.refunds.map((refund) => [refund.refundId, refund.amount, refund.via]),
        [[lateRefundId('OUTAGE-5MIN'), '249.00', 'refund-api']],
      );
      assert.equal((await stack.store.get('OUTAGE-5MIN'))?.jobs?.refund, undefined);
    }));

  it('reports a refund that keeps failing as stuck: an error line, the order view and a job event, once', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const events: JobEvent[] = [];
    await withStack(
      {
        backend: {
          jobs: { refundStuckMs: 60_000 },
          logger: createLogger({ level: 'warn', destination }),
          onJobEvent: (event) => events.push(event),
        },
      },
      async (stack) => {
        stack.sandbox.faults.set({ status: 500, forMs: 3 * 60_000, api: 'refund' });
        await latePayment(stack, 'STUCK-1');
        const failingSince = stack.now();
        await pass(stack, 50_000);
        assert.equal((await view(stack, 'STUCK-1')).latePayment?.stuckSince, undefined, 'not stuck yet');
        await pass(stack, 30_000);
        const stuck = await view(stack, 'STUCK-1');
        assert.equal(stuck.latePayment?.refundStatus, 'Requested');
        assert.ok(stuck.latePayment?.stuckSince, 'the view says the refund is stuck');
        assert.ok(Math.abs(Date.parse(stuck.latePayment.stuckSince) - failingSince) < 2_000);
        const errors = lines.filter((line) => line.level === 50);
        assert.equal(errors.length, 1, 'one error line');
        assert.match(String(errors[0].msg), /refund of the late payment on order STUCK-1 is stuck/);
        assert.equal(events.filter((event) => event.type === 'stuck').length, 1);
        await pass(stack, 2 * 60_000, 5_000);
        const refunded = await view(stack, 'STUCK-1');
        assert.equal(refunded.latePayment?.refundStatus, 'Approved');
        assert.equal(refunded.latePayment?.stuckSince, undefined, 'no longer stuck once refunded');
        assert.equal(lines.filter((line) => line.level === 50).length, 1);
        assert.ok(events.some((event) => event.type === 'done' && event.kind === 'refund'));
      },
    );
  });

  it('backs off exponentially with jitter up to the cap', async () => {
    const retries: number[] = [];
    await withStack(
      {
        backend: {
          jobs: { retryMinMs: 1_000, retryMaxMs: 16_000 },
          onJobEvent: (event) => event.type === 'retry' && retries.push(event.retryAt),
        },
      },
      async (stack) => {
        stack.sandbox.faults.set({ status: 503, forMs: 10 * 60_000, api: 'refund' });
        const started = stack.now();
        await latePayment(stack, 'BACKOFF-1');
        await pass(stack, 3 * 60_000, 250);
        // Each wait after the n-th failure: between half and all of min(1 s × 2^(n-1), 16 s).
        let previous = started;
        const waits = retries.map((at) => {
          const wait = at - previous;
          previous = at;
          return wait;
        });
        waits.slice(1).forEach((wait, index) => {
          const full = Math.min(16_000, 1_000 * 2 ** (index + 1));
          assert.ok(wait >= full / 2 - 260 && wait <= full + 260, `wait ${index + 2}: ${wait} ms for ${full} ms`);
        });
        assert.ok(waits.length >= 12, `${waits.length} retries in 3 min`);
        assert.ok(new Set(waits.slice(6)).size > 1, 'the waits at the cap are spread, not in step');
      },
    );
  });
});

describe('jobs: every order that ends is followed up, watched or not', () => {
  it('finds a payment made after the expiry on an order whose till went away, and refunds it', () =>
    withStack({}, async (stack) => {
      assert.equal((await stack.call('POST', '/qr', qrTerms('WALKED-AWAY'))).status, 201);
      await stack.call('GET', '/qr/WALKED-AWAY');
      // Nobody asks about the order again. At its expiry the backend settles it with Amazon.
      await pass(stack, 121_000);
      const settled = stack.sandbox.order('WALKED-AWAY')!;
      assert.equal(settled.cancel?.reason, 'SESSION_EXPIRED', 'the QR was cancelled upstream at its expiry');
      stack.ipn.fate = 'lose';
      stack.sandbox.pay('WALKED-AWAY');
      const before = stack.sandbox.calls.getStatus;
      await pass(stack, 75_000);
      assert.ok(stack.sandbox.calls.getStatus > before, 'the backend asked Amazon about the order');
      assert.equal(stack.sandbox.order('WALKED-AWAY')?.refunds.length, 1);
      const late = await view(stack, 'WALKED-AWAY');
      assert.equal(late.status, 'expired');
      assert.equal(late.latePayment?.refundStatus, 'Approved');
    }));

  it('settles an unwatched order at its expiry: a payment whose notification was lost is found, not cancelled', () =>
    withStack({}, async (stack) => {
      await stack.call('POST', '/qr', qrTerms('QUIET-PAID'));
      stack.ipn.fate = 'lose';
      stack.sandbox.pay('QUIET-PAID');
      await pass(stack, 121_000);
      const record = await stack.store.get('QUIET-PAID');
      assert.equal(record?.status, 'paid');
      assert.equal(record?.jobs, undefined);
      assert.equal(stack.sandbox.order('QUIET-PAID')?.cancel, undefined);
    }));

  it('looks for late payments 1, 3⅓, 10, 20 and 30 minutes after an order ended, then owes nothing', () =>
    withStack({}, async (stack) => {
      await stack.call('POST', '/qr', qrTerms('FOLLOWED'));
      await stack.call('POST', '/qr/FOLLOWED/cancel', { reason: 'USER_CANCELLATION', refund: true });
      const ended = stack.now();
      const asked: number[] = [];
      const inner = stack.sandbox.fetch;
      stack.sandbox.fetch = (request) => {
        if (request.method === 'GET' && new URL(request.url).pathname.endsWith('/v2/pay/token')) {
          asked.push(Math.round((stack.now() - ended) / 1000));
        }
        return inner(request);
      };
      await pass(stack, 31 * 60_000, 10_000);
      assert.deepEqual(asked, [60, 200, 600, 1200, 1800]);
      assert.equal((await stack.store.get('FOLLOWED'))?.jobs, undefined);
    }));
});

describe('jobs: one instance at a time, taken over after a crash', () => {
  it('runs a due job on one of two instances sharing a store, never on both', async () => {
    const shared = createMemoryStore();
    const events: JobEvent[] = [];
    const instance = () => ({ store: shared });
    await withStack(
      { instances: [instance, instance], backend: { onJobEvent: (event) => events.push(event) } },
      async (stack) => {
        await latePayment(stack, 'SHARED-1');
        await pass(stack, 5_000);
        assert.equal(stack.sandbox.order('SHARED-1')?.refunds.length, 1);
        assert.equal(stack.sandbox.calls.refund, 1, 'one refund call for two workers');
        assert.equal(events.filter((event) => event.type === 'done' && event.kind === 'refund').length, 1);
      },
    );
  });

  it('takes over a job whose instance died holding it, once the lease is over', async () => {
    const store = createMemoryStore();
    await withStack({ instances: [() => ({ store })] }, async (stack) => {
      assert.equal((await stack.call('POST', '/qr', qrTerms('LEASED-1'))).status, 201);
      await stack.call('POST', '/qr/LEASED-1/cancel', { reason: 'USER_CANCELLATION', refund: true });
      stack.ipn.fate = 'lose';
      const { charge } = stack.sandbox.pay('LEASED-1');
      // Another instance found the payment, claimed its refund for the 60 s lease, and died.
      const leaseEnd = stack.now() + 60_000;
      await store.update('LEASED-1', (current) => ({
        ...current,
        latePayment: newLatePayment('LEASED-1', charge?.amazonChargeId),
        jobs: { refund: { dueAt: leaseEnd, attempts: 0, owner: 'instance-that-died' } },
      }));
      await pass(stack, 59_000);
      assert.equal(stack.sandbox.order('LEASED-1')?.refunds.length, 0, 'nobody runs a job while it is leased');
      await pass(stack, 2_000);
      assert.equal(stack.sandbox.order('LEASED-1')?.refunds.length, 1);
      assert.equal((await view(stack, 'LEASED-1')).latePayment?.refundStatus, 'Approved');
    });
  });

  it('runs the jobs that fell due while it was down as soon as it starts', async () => {
    const now = Date.parse('2025-01-15T10:30:00Z');
    const store = createMemoryStore({ now: () => now });
    await store.create({
      ...qrTerms('OVERDUE-1'),
      currency: 'INR',
      formats: ['string'],
      status: 'cancelled',
      expiresAt: now - 60_000,
      tokenId: 'TOKEN-OVERDUE-1',
      cancel: { outcome: 'Approved', refund: true },
      jobs: { followUp: { dueAt: now - 30_000, attempts: 0, endedAt: now - 90_000, step: 0 } },
      createdAt: now - 120_000,
      updatedAt: now - 90_000,
      version: 1,
    });
    const client = createFakeAmazonPay();
    const checked = new Promise<string>((resolve) => {
      const getStatus = client.getStatus;
      client.getStatus = (orderId, signal) => {
        resolve(orderId);
        return getStatus(orderId, signal);
      };
    });
    const backend = createBackend({
      client,
      store,
      mode: 'sandbox',
      now: () => now,
      logger: createLogger({ level: 'silent' }),
    });
    try {
      assert.equal(await checked, 'OVERDUE-1');
    } finally {
      await backend.close();
    }
  });
});
