/**
 * The backend's Prometheus metrics (prom-client), in a registry of their own so that two backends
 * in one process, or the merchant's own metrics, never collide. Every part of the server records
 * what it does here; nothing is exposed unless the operator asks for it (see `serveMetrics` in
 * app.ts and the README's "Metrics").
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DueOrder } from './backend/store.js';
import type { JobEvent } from './backend/worker.js';

/** How the job gauges read the store's index of due jobs at each scrape. */
export interface DueJobs {
  due(until: number, limit: number): Promise<DueOrder[]>;
  now(): number;
  /** A job due longer ago than this is overdue: a worker should have run it by then. */
  overdueAfterMs: number;
}

/** The most due jobs a scrape counts: past it, the gauges say at least this many. */
const DUE_COUNT_LIMIT = 10_000;

/** How a notification to the IPN endpoint ended. */
export type NotificationResult = 'accepted' | 'duplicate' | 'ignored' | 'rejected' | 'failed';

/** Options of `createMetrics`. */
export interface MetricsOptions {
  /** Where the metrics are registered. Default a new `Registry`. */
  registry?: Registry;
  /** Also collect prom-client's process metrics (memory, CPU, event-loop lag, GC). Default false. */
  processMetrics?: boolean;
}

/** The metrics one backend records, and the registry that holds them. */
export interface Metrics {
  /** `await registry.metrics()` is the text to serve, `registry.contentType` its type. */
  readonly registry: Registry;
  /** A contract request came in (+1) or was answered (-1). */
  inFlight(change: 1 | -1): void;
  /** One contract request answered; `seconds` is left out for a held long poll. */
  request(route: string, status: number, seconds?: number): void;
  /** One Amazon Pay call answered (`status`: its HTTP status) or not (`timeout`, `network`). */
  amazonCall(call: string, status: string, seconds: number): void;
  /** One notification handled; `reason` says why a rejected one was rejected. */
  notification(result: NotificationResult, reason?: string): void;
  /** A QR was created and stored. */
  orderCreated(): void;
  /** An order reached a final status; `outcome` is Amazon's cancel outcome for a cancelled one. */
  orderEnded(status: 'paid' | 'expired' | 'cancelled' | 'failed', outcome?: string): void;
  /** A payment landed on an order that was already over. */
  latePayment(): void;
  /** Amazon answered a late payment's refund with `status` (`Approved`, `Pending`, `Declined`). */
  refund(status: string): void;
  /** A long poll started (+1) or ended (-1). */
  longPoll(change: 1 | -1): void;
  /** One store operation, and whether it failed. */
  storeOperation(operation: string, seconds: number, failed: boolean): void;
  /** Whether the process is draining (shutting down): set once, at SIGTERM. */
  draining(value: boolean): void;
  /** One event of the job worker: a job done or to be retried, a refund reported stuck. */
  job(event: JobEvent): void;
  /** Where `dqr_jobs_due` and `dqr_jobs_overdue` are read from at each scrape. */
  dueJobs(source: DueJobs): void;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const AMAZON_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
const STORE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5];

/** Creates the backend's metrics in `options.registry` (default a registry of their own). */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = options.registry ?? new Registry();
  const registers = [registry];
  if (options.processMetrics) collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'dqr_http_requests_total',
    help: 'Contract requests answered, by route and HTTP status (401, 403 and 429 are refusals).',
    labelNames: ['route', 'status'],
    registers,
  });
  const inFlight = new Gauge({
    name: 'dqr_http_requests_in_flight',
    help: 'Contract requests under way now, held long polls among them.',
    registers,
  });
  const requestSeconds = new Histogram({
    name: 'dqr_http_request_duration_seconds',
    help: 'Time to answer a contract request, held long polls left out.',
    labelNames: ['route'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const amazonSeconds = new Histogram({
    name: 'dqr_amazon_call_duration_seconds',
    help: 'Amazon Pay calls by call and HTTP status (timeout, network: no answer), with their latency.',
    labelNames: ['call', 'status'],
    buckets: AMAZON_BUCKETS,
    registers,
  });
  const notifications = new Counter({
    name: 'dqr_notifications_total',
    help: 'Notifications (IPN) by result, and why the rejected ones were rejected.',
    labelNames: ['result', 'reason'],
    registers,
  });
  const created = new Counter({ name: 'dqr_qr_created_total', help: 'QRs created and stored.', registers });
  const ended = new Counter({
    name: 'dqr_orders_ended_total',
    help: "Orders that reached a final status; outcome is Amazon's cancel outcome of a cancelled one.",
    labelNames: ['status', 'outcome'],
    registers,
  });
  const latePayments = new Counter({
    name: 'dqr_late_payments_total',
    help: 'Payments that landed on an order already over (each is refunded).',
    registers,
  });
  const refunds = new Counter({
    name: 'dqr_late_payment_refunds_total',
    help: "Amazon's answers to late-payment refunds, by refund status.",
    labelNames: ['status'],
    registers,
  });
  const longPolls = new Gauge({ name: 'dqr_long_polls', help: 'Long polls held now.', registers });
  const storeSeconds = new Histogram({
    name: 'dqr_store_operation_duration_seconds',
    help: 'Order store operations by operation, with their latency.',
    labelNames: ['operation'],
    buckets: STORE_BUCKETS,
    registers,
  });
  const storeErrors = new Counter({
    name: 'dqr_store_errors_total',
    help: 'Order store operations that failed (the store could not be reached or answered an error).',
    labelNames: ['operation'],
    registers,
  });
  const draining = new Gauge({ name: 'dqr_draining', help: '1 while the process shuts down.', registers });
  const jobs = new Counter({
    name: 'dqr_jobs_total',
    help: 'Jobs the backend owes (settle, cancel, followUp, refund, check) run by this instance, by kind and result (done, retry).',
    labelNames: ['kind', 'result'],
    registers,
  });
  const stuckRefunds = new Counter({
    name: 'dqr_refunds_stuck_total',
    help: 'Late-payment refunds reported stuck: failing for longer than DQR_REFUND_STUCK_MS (the worker keeps trying).',
    registers,
  });
  let dueSource: DueJobs | undefined;
  const dueGauge = (name: string, help: string, since: (source: DueJobs) => number) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        if (!dueSource) return;
        const source = dueSource;
        // A store that does not answer leaves the last value: dqr_store_errors_total tells that story.
        const due = await source.due(since(source), DUE_COUNT_LIMIT).catch(() => undefined);
        if (due) this.set(due.length);
      },
    });
  dueGauge(
    'dqr_jobs_due',
    'Orders with a job due now, in the whole store (every instance reports the same).',
    (source) => source.now(),
  );
  dueGauge(
    'dqr_jobs_overdue',
    'Orders with a job due for longer than a job lease: no worker is running them.',
    (source) => source.now() - source.overdueAfterMs,
  );

  return {
    registry,
    inFlight: (change) => inFlight.inc(change),
    request(route, status, seconds) {
      requests.inc({ route, status: String(status) });
      if (seconds !== undefined) requestSeconds.observe({ route }, seconds);
    },
    amazonCall: (call, status, seconds) => amazonSeconds.observe({ call, status }, seconds),
    notification: (result, reason = '') => notifications.inc({ result, reason }),
    orderCreated: () => created.inc(),
    orderEnded: (status, outcome = '') => ended.inc({ status, outcome }),
    latePayment: () => latePayments.inc(),
    refund: (status) => refunds.inc({ status }),
    longPoll: (change) => longPolls.inc(change),
    storeOperation(operation, seconds, failed) {
      storeSeconds.observe({ operation }, seconds);
      if (failed) storeErrors.inc({ operation });
    },
    draining: (value) => draining.set(value ? 1 : 0),
    job(event) {
      if (event.type === 'stuck') stuckRefunds.inc();
      else jobs.inc({ kind: event.kind, result: event.type });
    },
    dueJobs(source) {
      dueSource = source;
    },
  };
}
