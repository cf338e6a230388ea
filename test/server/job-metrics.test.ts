import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../src/server/log.js';
import { createMetrics } from '../../src/server/metrics.js';
import { latePayment, pass } from './support/job-steps.js';
import { createInProcessStack, type InProcessStackOptions } from './support/in-process-stack.js';
import { parseScrape } from './support/prometheus.js';

/**
 * The jobs the backend owes, as an operator's dashboard sees them: runs by kind and result, stuck
 * refunds, and the jobs that are due and that nobody runs, on a clock the test moves.
 */
/** An in-process stack whose backend reports to fresh metrics with `jobs`, and a scrape of them. */
async function stackWithMetrics(jobs: NonNullable<InProcessStackOptions['backend']>['jobs']) {
  const metrics = createMetrics();
  const stack = await createInProcessStack({
    backend: { metrics, jobs, logger: createLogger({ level: 'silent' }) },
  });
  return { stack, scrape: async () => parseScrape(await metrics.registry.metrics()) };
}

describe('metrics: the jobs', () => {
  it('counts job runs by kind and result, and a refund reported stuck once', async () => {
    const { stack, scrape } = await stackWithMetrics({ refundStuckMs: 60_000 });
    try {
      stack.sandbox.faults.set({ status: 500, forMs: 3 * 60_000, api: 'refund' });
      await latePayment(stack, 'STUCK-M');
      await pass(stack, 80_000);
      let seen = await scrape();
      assert.equal(seen.value('dqr_refunds_stuck_total'), 1);
      assert.ok(seen.value('dqr_jobs_total', { kind: 'refund', result: 'retry' }) >= 2);
      assert.equal(seen.value('dqr_jobs_total', { kind: 'refund', result: 'done' }), 0);
      assert.equal(seen.value('dqr_jobs_overdue'), 0, 'retried on its schedule: never overdue');
      await pass(stack, 2 * 60_000, 5_000);
      seen = await scrape();
      assert.equal(seen.value('dqr_jobs_total', { kind: 'refund', result: 'done' }), 1);
      assert.equal(seen.value('dqr_refunds_stuck_total'), 1, 'reported once');
      assert.equal(seen.value('dqr_late_payment_refunds_total', { status: 'Approved' }), 1);
    } finally {
      await stack.close();
    }
  });

  it('shows a job nobody runs as due, then overdue after a lease; a draining backend takes no job', async () => {
    const { stack, scrape } = await stackWithMetrics({ leaseMs: 60_000 });
    try {
      assert.equal((await scrape()).value('dqr_jobs_due'), 0);
      const [backend] = stack.backends;
      backend.drain();
      await latePayment(stack, 'UNRUN-1');
      assert.equal((await stack.store.get('UNRUN-1'))?.latePayment?.refundStatus, 'Requested');
      let seen = await scrape();
      assert.equal(seen.value('dqr_jobs_due'), 1, 'the refund is due');
      assert.equal(seen.value('dqr_jobs_overdue'), 0);
      await pass(stack, 61_000, 5_000);
      seen = await scrape();
      assert.equal(seen.value('dqr_jobs_overdue'), 1, 'due for longer than a lease: no worker runs it');
      assert.deepEqual(stack.sandbox.order('UNRUN-1')!.refunds, [], 'the draining worker asked for no refund');
    } finally {
      await stack.close();
    }
  });
});
