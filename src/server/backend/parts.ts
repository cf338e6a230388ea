/**
 * The backend's parts wired together: the store (with the job rules applied to every write), the
 * status tracker, the job worker with every job's runner, the order actions and the IPN handler.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import { createMetrics, type Metrics } from '../metrics.js';
import type { BackendOptions } from './index.js';
import { createIpnHandler } from './ipn.js';
import { refundRunner } from './late-payments.js';
import { withObligations } from './obligations.js';
import { observeStore } from './observed-store.js';
import { createOrderService, type OrderService } from './orders.js';
import { createMemoryStore } from './store.js';
import { createTimers } from './timers.js';
import { AMAZON_STATUS_SCHEDULE, createTracker } from './tracker.js';
import { createWorker, DEFAULT_JOB_SETTINGS, type Worker } from './worker.js';

/** What the parts report to: the metrics (default a registry of their own), and the signal that a shutdown has begun. */
export interface PartsContext {
  metrics?: Metrics;
  draining?: AbortSignal;
}

/** Creates the parts `createBackend` serves; the worker makes its first round at once. */
export function createBackendParts(
  options: BackendOptions,
  logger: Logger,
  onError: (error: unknown, context: string) => void,
  { metrics = createMetrics(), draining }: PartsContext = {},
) {
  const { client } = options;
  const now = options.now ?? Date.now;
  const timers = options.timers ?? createTimers();
  const settings = { ...DEFAULT_JOB_SETTINGS, ...options.jobs };
  // Every write tells the worker of its next due job (the worker and the store need each other).
  const store = withObligations(observeStore(options.store ?? createMemoryStore({ now }), metrics), {
    now,
    followUpDelaysMs: settings.followUpDelaysMs,
    onDue: (dueAt) => worker.wake(dueAt),
  });
  const tracker = createTracker({
    client,
    store,
    timers,
    now,
    scheduleSeconds: [...(options.statusScheduleSeconds ?? AMAZON_STATUS_SCHEDULE)],
    jitter: options.statusJitter ?? 0.1,
    followUpDelaysMs: settings.followUpDelaysMs,
    onError,
  });
  const worker: Worker = createWorker({
    store,
    runners: { ...tracker.runners, refund: refundRunner(client), cancel: (record) => orders.cancelRunner(record) },
    settings,
    owner: options.instanceId ?? randomUUID(),
    now,
    timers,
    logger,
    onEvent(event) {
      metrics.job(event);
      options.onJobEvent?.(event);
    },
  });
  metrics.dueJobs({ due: (until, limit) => store.due(until, limit), now, overdueAfterMs: settings.leaseMs });
  const orders: OrderService = createOrderService({
    client,
    store,
    tracker,
    worker,
    timers,
    now,
    checkOrder: options.checkOrder,
    draining,
    onHold: metrics.longPoll,
  });
  const snsTopicArns = options.snsTopicArns ?? [];
  const ipn = createIpnHandler({
    store,
    tracker,
    client,
    now,
    retryMs: settings.retryMinMs,
    logger,
    topicArns: () => snsTopicArns,
    trustedOrigins: options.trustedIpnOrigins ?? (() => []),
    fetch: options.fetch ?? globalThis.fetch,
    onResult: metrics.notification,
  });
  return { store, tracker, worker, orders, ipn, timers };
}
