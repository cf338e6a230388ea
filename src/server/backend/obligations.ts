/**
 * The rules that tie an order's jobs to its state, applied inside every write the backend makes,
 * so a need and the job that meets it are one atomic update in every store: an order that ends
 * unpaid gets its follow-up checks, a recorded late payment gets its refund, and a job whose reason
 * is gone (the settlement of an order that was paid or cancelled) goes with it.
 */
import { isUnhandledLatePayment } from './amazon-status.js';
import { newJob, nextDueAt, withJob, type Jobs } from './jobs.js';
import type { OrderRecord, OrderStore } from './store.js';

/** The record `next` with its jobs brought in line with its state, coming from `previous`. */
export function reconcileJobs(
  previous: OrderRecord | undefined,
  next: OrderRecord,
  now: number,
  followUpDelaysMs: readonly number[],
): OrderRecord {
  let jobs: Jobs | undefined = next.jobs;
  // An expired order is still settled upstream (cancelled with refund) unless a cancel was made.
  const settled = next.cancel !== undefined || (next.status !== 'pending' && next.status !== 'expired');
  if (settled) jobs = withJob(jobs, 'settle', undefined);
  // From the moment a payment on an ended order would be nobody's, the backend looks for one.
  const unwatched = isUnhandledLatePayment(next);
  if (!unwatched) jobs = withJob(jobs, 'followUp', undefined);
  else if (!jobs?.followUp && !(previous && isUnhandledLatePayment(previous)) && followUpDelaysMs.length > 0) {
    jobs = withJob(jobs, 'followUp', { ...newJob(now + followUpDelaysMs[0]), endedAt: now, step: 0 });
  }
  if (next.latePayment?.refundStatus === 'Requested') jobs = withJob(jobs, 'refund', jobs?.refund ?? newJob(now));
  else jobs = withJob(jobs, 'refund', undefined);
  if (jobs === next.jobs) return next;
  const record = { ...next, jobs };
  if (!jobs) delete record.jobs;
  return record;
}

/**
 * `store` with `reconcileJobs` applied to every record it creates or changes, and `onDue` told of
 * the next due job of every record written, so this instance's worker wakes in time.
 */
export function withObligations(
  store: OrderStore,
  options: { now: () => number; followUpDelaysMs: readonly number[]; onDue: (dueAt: number) => void },
): OrderStore {
  const { now, followUpDelaysMs, onDue } = options;
  const told = (record: OrderRecord | undefined) => {
    const dueAt = nextDueAt(record?.jobs);
    if (dueAt !== undefined) onDue(dueAt);
    return record;
  };
  return {
    get: (orderId) => store.get(orderId),
    async create(record) {
      return told(await store.create(reconcileJobs(undefined, record, now(), followUpDelaysMs)))!;
    },
    async update(orderId, change) {
      const written = await store.update(orderId, (current) => {
        const next = change(current);
        return next && next !== current ? reconcileJobs(current, next, now(), followUpDelaysMs) : next;
      });
      return told(written);
    },
    subscribe: (orderId, listener) => store.subscribe(orderId, listener),
    countPending: (terminalId) => store.countPending(terminalId),
    due: (until, limit) => store.due(until, limit),
  };
}
