/**
 * The status tracker: Amazon's signed Get-status answer is the only truth about an order. It asks
 * on Amazon's backoff schedule while somebody is waiting, at once when an IPN wakes an order, and
 * once more before any answer that would say `expired` (a payment in the last second wins). Its
 * jobs settle an order whose QR expired, look for late payments after an order ended, and make a
 * check a notification asked for but Amazon could not answer at the time.
 */
import type { CancelRequest } from '../../contract/types.js';
import type { AmazonPayClient, StatusResult } from '../amazon-pay/types.js';
import { isCancelling, isTerminal, isUnhandledLatePayment, toOrderStatus } from './amazon-status.js';
import { withJob } from './jobs.js';
import { newLatePayment } from './late-payments.js';
import type { OrderRecord, OrderStore } from './store.js';
import type { Timers } from './timers.js';
import type { JobRunner } from './worker.js';

/** Amazon's suggested polling schedule for a terminal, in seconds; the last step repeats. */
export const AMAZON_STATUS_SCHEDULE = [15, 25, 30, 35, 40, 45, 50, 55];

/** The cancel that settles an order whose QR expired, as the element's own expiry sends it. */
export const EXPIRY_CANCEL: CancelRequest = {
  reason: 'SESSION_EXPIRED',
  refund: true,
  noteToCustomer: 'The QR code expired; any payment made with it is refunded.',
};

export interface TrackerOptions {
  client: AmazonPayClient;
  store: OrderStore;
  timers: Timers;
  now: () => number;
  /** Seconds between Get-status calls while somebody waits; the last step repeats. */
  scheduleSeconds: number[];
  /** Each delay is scaled by a random factor in `1 ± jitter`. */
  jitter: number;
  /** When an order that ended unpaid is checked for a late payment, after it ended. */
  followUpDelaysMs: readonly number[];
  onError: (error: unknown, context: string) => void;
}

export interface StatusTracker {
  /** Asks Amazon now (one call per order at a time) and records what it says. */
  check(orderId: string): Promise<OrderRecord | undefined>;
  /**
   * Like `check`, but never content with a call that was already on its way: news such as a
   * notification needs an answer Amazon gave after it, so it waits for that call and asks again.
   */
  recheck(orderId: string): Promise<OrderRecord | undefined>;
  /** The record, checked with Amazon first when it is pending past its expiry. */
  settle(record: OrderRecord): Promise<OrderRecord>;
  /** Polls the order on the schedule until the returned function is called by every watcher. */
  watch(record: OrderRecord): () => void;
  /** The tracker's jobs. */
  runners: { settle: JobRunner; followUp: JobRunner; check: JobRunner };
}

interface Polling {
  step: number;
  checking: boolean;
  nextAt: number;
  watchers: number;
  cancel?: () => void;
}

/** Creates the tracker; its polling timers belong to `options.timers`. */
export function createTracker(options: TrackerOptions): StatusTracker {
  const { client, store, timers, now, scheduleSeconds, jitter, followUpDelaysMs, onError } = options;
  const inFlight = new Map<string, Promise<OrderRecord | undefined>>();
  const queued = new Map<string, Promise<OrderRecord | undefined>>();
  const polling = new Map<string, Polling>();

  function delayOf(step: number) {
    const seconds = scheduleSeconds[Math.min(step, scheduleSeconds.length - 1)];
    return seconds * 1000 * (1 - jitter + 2 * jitter * Math.random());
  }

  async function apply(orderId: string, result: StatusResult) {
    const time = now();
    const record = await store.update(orderId, (record) => {
      // A check a notification asked for, waiting for a retry, is made by this one.
      const current =
        record.jobs?.check && !record.jobs.check.owner
          ? { ...record, jobs: withJob(record.jobs, 'check', undefined) }
          : record;
      const unchanged = current === record ? undefined : current;
      const status = toOrderStatus(result.status);
      if (current.status === 'pending') {
        if (status === 'paid') {
          if (isCancelling(current)) return unchanged;
          return { ...current, status, amazonChargeId: result.amazonChargeId ?? current.amazonChargeId };
        }
        if (status !== 'pending') return { ...current, status };
        return time >= current.expiresAt ? { ...current, status: 'expired' } : unchanged;
      }
      if (status !== 'paid' || !isUnhandledLatePayment(current)) return unchanged;
      // The refund job is written with it (obligations.ts).
      return { ...current, latePayment: newLatePayment(orderId, result.amazonChargeId) };
    });
    if (record && isTerminal(record.status)) stopPolling(orderId);
    return record;
  }

  function stopPolling(orderId: string) {
    polling.get(orderId)?.cancel?.();
    polling.delete(orderId);
  }

  function check(orderId: string) {
    let running = inFlight.get(orderId);
    if (!running) {
      running = client
        .getStatus(orderId)
        .then((result) => apply(orderId, result))
        .finally(() => inFlight.delete(orderId));
      inFlight.set(orderId, running);
    }
    return running;
  }

  function recheck(orderId: string) {
    const running = inFlight.get(orderId);
    if (!running) return check(orderId);
    let next = queued.get(orderId);
    if (!next) {
      next = running
        .catch(() => undefined)
        .then(() => {
          queued.delete(orderId);
          return check(orderId);
        });
      queued.set(orderId, next);
    }
    return next;
  }

  function arm(orderId: string, state: Polling, expiresAt: number) {
    const delay = Math.max(0, Math.min(state.nextAt, expiresAt) - now());
    state.cancel = timers.after(delay, () => {
      state.cancel = undefined;
      state.checking = true;
      state.step += 1;
      state.nextAt = now() + delayOf(state.step);
      check(orderId)
        .catch((error: unknown) => {
          onError(error, `status check of order ${orderId}`);
          return undefined;
        })
        .then((record) => {
          state.checking = false;
          // A failed check leaves the order as it was: keep to the schedule while someone waits.
          const pending = record === undefined || !isTerminal(record.status);
          if (pending && state.watchers > 0 && now() < expiresAt) arm(orderId, state, expiresAt);
        });
    });
  }

  /** At the expiry: a last check, then (unless it was paid) a cancel with refund as a job of its own. */
  const settleRunner: JobRunner = async (record) => {
    if (record.status === 'pending') await check(record.orderId);
    return (current) => {
      const job = current.jobs?.settle;
      // Amazon still says pending before the expiry (the job ran early): settle at the expiry.
      if (current.status === 'pending' && job) {
        const { owner: _, ...rest } = job;
        return { ...current, jobs: withJob(current.jobs, 'settle', { ...rest, dueAt: current.expiresAt }) };
      }
      if (current.status !== 'expired' || current.cancel || isCancelling(current)) return current;
      const cancel = { dueAt: now(), attempts: 0, request: EXPIRY_CANCEL };
      return { ...current, jobs: withJob(current.jobs, 'cancel', cancel) };
    };
  };

  /** One late-payment check; the next is due at the first follow-up delay still ahead. */
  const followUpRunner: JobRunner = async (record) => {
    if (isUnhandledLatePayment(record)) await check(record.orderId);
    const checkedAt = now();
    return (current) => {
      const job = current.jobs?.followUp;
      if (!job || !isUnhandledLatePayment(current)) return current;
      let step = job.step + 1;
      while (step < followUpDelaysMs.length && job.endedAt + followUpDelaysMs[step] <= checkedAt) step += 1;
      if (step >= followUpDelaysMs.length) return current;
      const next = { dueAt: job.endedAt + followUpDelaysMs[step], attempts: 0, endedAt: job.endedAt, step };
      return { ...current, jobs: withJob(current.jobs, 'followUp', next) };
    };
  };

  const checkRunner: JobRunner = async (record) => {
    await check(record.orderId);
    return (current) => current;
  };

  return {
    check,
    recheck,
    runners: { settle: settleRunner, followUp: followUpRunner, check: checkRunner },
    async settle(record) {
      if (record.status !== 'pending' || now() < record.expiresAt) return record;
      return (await check(record.orderId)) ?? record;
    },
    watch(record) {
      const { orderId } = record;
      let state = polling.get(orderId);
      if (!state)
        polling.set(
          orderId,
          (state = { step: 0, checking: false, nextAt: record.createdAt + delayOf(0), watchers: 0 }),
        );
      const watched = state;
      watched.watchers += 1;
      if (!watched.cancel && !watched.checking) arm(orderId, watched, record.expiresAt);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        watched.watchers -= 1;
        if (watched.watchers > 0) return;
        watched.cancel?.();
        watched.cancel = undefined;
        if (now() >= record.expiresAt) polling.delete(orderId);
      };
    },
  };
}
