/**
 * The status tracker: Amazon's signed Get-status answer is the only truth about an order. It asks
 * on Amazon's backoff schedule while somebody is waiting, at once when an IPN wakes an order, and
 * once more before any answer that would say `expired` (a payment in the last second wins).
 */
import type { AmazonPayClient, StatusResult } from '../amazon-pay/types.js';
import { isCancelling, isTerminal, isUnhandledLatePayment, toOrderStatus } from './amazon-status.js';
import { createLateRefunder, newLatePayment } from './late-payments.js';
import type { OrderRecord, OrderStore } from './store.js';
import type { Timers } from './timers.js';

/** Amazon's suggested polling schedule for a terminal, in seconds; the last step repeats. */
export const AMAZON_STATUS_SCHEDULE = [15, 25, 30, 35, 40, 45, 50, 55];

/**
 * When an order that ended unpaid is asked about once more, in milliseconds after it ended: a
 * payment can still land on its QR, and its notification can be lost, so the backend looks for
 * itself, first within the 3 min 30 s Amazon gives a merchant to deal with a late payment, then
 * at widening intervals for half an hour.
 */
export const DEFAULT_LATE_PAYMENT_CHECKS_MS = [60_000, 200_000, 600_000, 1_200_000, 1_800_000];

export interface TrackerOptions {
  client: AmazonPayClient;
  store: OrderStore;
  timers: Timers;
  now: () => number;
  /** Seconds between Get-status calls while somebody waits; the last step repeats. */
  scheduleSeconds: number[];
  /** Each delay is scaled by a random factor in `1 ± jitter`. */
  jitter: number;
  refundRetryDelaysMs: number[];
  /** Delays after an order ended unpaid at which Amazon is asked again for a late payment. */
  latePaymentChecksMs?: readonly number[];
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
  /** Looks for a late payment on an order that just ended unpaid, whose notification may be lost. */
  followUp(record: OrderRecord): void;
}

interface Polling {
  step: number;
  checking: boolean;
  nextAt: number;
  watchers: number;
  cancel?: () => void;
}

/** Creates the tracker; its timers belong to `options.timers`. */
export function createTracker(options: TrackerOptions): StatusTracker {
  const { client, store, timers, now, scheduleSeconds, jitter, onError } = options;
  const inFlight = new Map<string, Promise<OrderRecord | undefined>>();
  const queued = new Map<string, Promise<OrderRecord | undefined>>();
  const polling = new Map<string, Polling>();
  const refundLate = createLateRefunder({ client, store, timers, retryDelaysMs: options.refundRetryDelaysMs, onError });

  function delayOf(step: number) {
    const seconds = scheduleSeconds[Math.min(step, scheduleSeconds.length - 1)];
    return seconds * 1000 * (1 - jitter + 2 * jitter * Math.random());
  }

  async function apply(orderId: string, result: StatusResult) {
    const time = now();
    let claimedLatePayment = false;
    let ended = false;
    const record = await store.update(orderId, (current) => {
      claimedLatePayment = false;
      ended = false;
      const status = toOrderStatus(result.status);
      if (current.status === 'pending') {
        if (status === 'paid') {
          if (isCancelling(current, time)) return undefined;
          return { ...current, status, amazonChargeId: result.amazonChargeId ?? current.amazonChargeId };
        }
        ended = status !== 'pending' || time >= current.expiresAt;
        if (status !== 'pending') return { ...current, status };
        return ended ? { ...current, status: 'expired' } : undefined;
      }
      if (status !== 'paid' || !isUnhandledLatePayment(current)) return undefined;
      claimedLatePayment = true;
      return { ...current, latePayment: newLatePayment(orderId, result.amazonChargeId) };
    });
    if (claimedLatePayment && record) refundLate(record);
    if (record && isTerminal(record.status)) {
      stopPolling(orderId);
      if (ended) followUp(record);
    }
    return record;
  }

  function followUp(record: OrderRecord) {
    if (!isUnhandledLatePayment(record)) return;
    for (const delay of options.latePaymentChecksMs ?? DEFAULT_LATE_PAYMENT_CHECKS_MS) {
      timers.after(delay, () => {
        check(record.orderId).catch((error: unknown) =>
          onError(error, `late-payment check of order ${record.orderId}`),
        );
      });
    }
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

  return {
    check,
    recheck,
    followUp,
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
