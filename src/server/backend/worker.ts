/**
 * The job worker: finds due jobs through the store's index, claims each with a lease (a versioned
 * update that names this instance and moves the job's due time to the lease's end, so two
 * instances never run one job at once and a crashed instance's job is taken over once its lease
 * is over), runs it, and then ends it or, on failure, tries again later with capped exponential
 * backoff and jitter, for as long as it takes. Timers only decide when it next looks; what it owes
 * is in the store.
 */
import type { Logger } from '../log.js';
import { JOB_KINDS, withJob, type Job, type JobKind } from './jobs.js';
import type { OrderRecord, OrderStore } from './store.js';
import type { Timers } from './timers.js';

/** How the worker paces jobs. Every delay is configurable so tests can scale time down. */
export interface JobSettings {
  /** The first retry's delay; each further failure doubles it, up to `retryMaxMs`. */
  retryMinMs: number;
  retryMaxMs: number;
  /** How long a claimed job is this instance's alone: longer than any one job can take. */
  leaseMs: number;
  /** How often the worker looks for due jobs besides the times it knows of (another instance's jobs). */
  sweepMs: number;
  /** A late-payment refund failing for longer than this is reported as stuck. */
  refundStuckMs: number;
  /** When an order that ended unpaid is checked for a late payment, after it ended. */
  followUpDelaysMs: readonly number[];
}

/**
 * The worker's defaults: retries from 1 s to 1 min, a 1 min lease, a look every 5 s, refunds stuck
 * after 15 min, follow-ups 1, 3⅓, 10, 20 and 30 min after an order ended: first within the
 * 3 min 30 s Amazon gives a merchant to deal with a late payment, then at widening intervals.
 */
export const DEFAULT_JOB_SETTINGS: JobSettings = {
  retryMinMs: 1_000,
  retryMaxMs: 60_000,
  leaseMs: 60_000,
  sweepMs: 5_000,
  refundStuckMs: 15 * 60_000,
  followUpDelaysMs: [60_000, 200_000, 600_000, 1_200_000, 1_800_000],
};

/**
 * What a finished job does to its order, applied in the update that ends it. The job ends unless
 * the change puts a new job of its kind in its place (to run again later, not as a failure).
 */
export type JobCompletion = (current: OrderRecord) => OrderRecord;

/** Runs one job of an order (the record as claimed); rejects when it should be tried again. */
export type JobRunner = (record: OrderRecord) => Promise<JobCompletion>;

/**
 * What the worker reports as it goes, for metrics and tests: a job done (with how late it ran),
 * a failure to retry, a refund that has been failing for too long.
 */
export type JobEvent =
  | { type: 'done'; kind: JobKind; orderId: string; attempts: number; lateMs: number }
  | { type: 'retry'; kind: JobKind; orderId: string; attempts: number; error: string; retryAt: number }
  | { type: 'stuck'; kind: 'refund'; orderId: string; failingForMs: number; error: string };

export interface WorkerOptions {
  store: OrderStore;
  runners: Record<JobKind, JobRunner>;
  settings: JobSettings;
  /** This instance's name on the leases it holds. */
  owner: string;
  now: () => number;
  timers: Timers;
  logger: Logger;
  onEvent?: (event: JobEvent) => void;
}

export interface Worker {
  /** Looks for due jobs at `dueAt` (now when omitted) if that is sooner than its next look. */
  wake(dueAt?: number): void;
  /**
   * Ends a job this instance holds with `complete` applied; `undefined` when the job is no
   * longer ours (its lease ran out and another instance took it).
   */
  complete(orderId: string, kind: JobKind, complete: JobCompletion): Promise<OrderRecord | undefined>;
  /** Records a failed attempt of a job this instance holds and schedules the next one. */
  fail(orderId: string, kind: JobKind, error: unknown): Promise<void>;
  /** The job of `kind` leased to this instance from now on (a copy: nothing is written). */
  lease<J extends Job>(job: J): J;
  /** Stops looking for jobs; resolves once the jobs running now are done. */
  close(): Promise<void>;
}

/** Orders looked at per round, and how many of them run at once. */
const BATCH = 32;
const PARALLEL = 4;

/** A failure in one line for the job's `lastError`: its name, code and HTTP status when it has them. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, status } = error as { code?: unknown; status?: unknown };
  const codeText = typeof code === 'string' && code !== '' ? ` ${code}` : '';
  const statusText = typeof status === 'number' && status > 0 ? ` (HTTP ${status})` : '';
  return `${error.name}${codeText}${statusText}: ${error.message}`;
}

/** Creates the worker and makes its first round at once: overdue jobs run at startup. */
export function createWorker(options: WorkerOptions): Worker {
  const { store, runners, settings, owner, now, timers, logger } = options;
  let closed = false;
  let round: Promise<void> | undefined;
  let again = false;
  let armedAt = Infinity;
  let disarm: (() => void) | undefined;
  let storeDown = false;

  const emit = (event: JobEvent) => {
    try {
      options.onEvent?.(event);
    } catch (error) {
      logger.error({ err: error }, 'job event listener failed');
    }
  };

  /** Capped exponential backoff with jitter: half the delay fixed, half random. */
  function backoff(attempts: number) {
    const delay = Math.min(settings.retryMaxMs, settings.retryMinMs * 2 ** Math.min(attempts - 1, 30));
    return Math.round(delay / 2 + (Math.random() * delay) / 2);
  }

  function lease<J extends Job>(job: J): J {
    return { ...job, owner, dueAt: now() + settings.leaseMs };
  }

  function arm(at: number) {
    if (closed || at >= armedAt) return;
    disarm?.();
    armedAt = at;
    const delay = at - now();
    if (delay <= 0) {
      // At once, and not through `timers`: a test clock fires those only when it is moved.
      const immediate = setImmediate(() => look());
      disarm = () => clearImmediate(immediate);
    } else {
      disarm = timers.after(delay, () => look());
    }
  }

  function look() {
    disarm = undefined;
    armedAt = Infinity;
    if (closed) return;
    if (round) {
      again = true;
      return;
    }
    round = runRound().finally(() => {
      round = undefined;
      if (again) {
        again = false;
        arm(now());
      }
    });
  }

  async function runRound() {
    const time = now();
    let next = time + settings.sweepMs;
    try {
      const due = await store.due(next, BATCH);
      if (storeDown) logger.info('the job worker reaches the order store again');
      storeDown = false;
      const ready = due.filter((entry) => entry.dueAt <= time).map((entry) => entry.orderId);
      const later = due.find((entry) => entry.dueAt > time);
      if (later) next = Math.min(next, later.dueAt);
      let ran = 0;
      const queue = [...ready];
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          for (let orderId = queue.shift(); orderId !== undefined && !closed; orderId = queue.shift()) {
            ran += await runOrder(orderId);
          }
        }),
      );
      // Jobs that ran may have made new ones due now; a full batch may have left some behind.
      if (ran > 0 || ready.length === BATCH) next = now();
    } catch (error) {
      if (!storeDown) logger.error({ err: error }, 'the job worker cannot read the order store; it keeps trying');
      storeDown = true;
    }
    arm(next);
  }

  /** Claims and runs each due job of one order, one after another; answers how many ran. */
  async function runOrder(orderId: string): Promise<number> {
    let ran = 0;
    for (const kind of JOB_KINDS) {
      if (closed) break;
      let claimed: { record: OrderRecord; lateMs: number } | undefined;
      try {
        await store.update(orderId, (current) => {
          const job = current.jobs?.[kind];
          claimed = undefined;
          if (!job || job.dueAt > now()) return undefined;
          const record = { ...current, jobs: withJob(current.jobs, kind, lease(job)) };
          claimed = { record, lateMs: now() - job.dueAt };
          return record;
        });
      } catch (error) {
        logger.warn({ err: error, orderId, job: kind }, `could not claim the ${kind} job of order ${orderId}`);
        continue;
      }
      if (!claimed) continue;
      ran += 1;
      await run(orderId, kind, claimed.record, claimed.lateMs);
    }
    return ran;
  }

  async function run(orderId: string, kind: JobKind, record: OrderRecord, lateMs: number) {
    const attempts = record.jobs?.[kind]?.attempts ?? 0;
    let completion: JobCompletion;
    try {
      completion = await runners[kind](record);
    } catch (error) {
      await fail(orderId, kind, error);
      return;
    }
    try {
      if (await complete(orderId, kind, completion)) {
        logger.debug({ orderId, job: kind, attempts: attempts + 1, lateMs }, `${kind} job of order ${orderId} done`);
        emit({ type: 'done', kind, orderId, attempts: attempts + 1, lateMs });
      }
    } catch (error) {
      // The job's work is done but not recorded: it runs again once the lease is over (jobs repeat safely).
      logger.warn({ err: error, orderId, job: kind }, `could not record the ${kind} job of order ${orderId}`);
    }
  }

  async function complete(orderId: string, kind: JobKind, completion: JobCompletion) {
    let ours = false;
    const written = await store.update(orderId, (current) => {
      const job = current.jobs?.[kind];
      ours = job?.owner === owner;
      if (!ours) return undefined;
      const next = completion(current);
      return next.jobs?.[kind] === job ? { ...next, jobs: withJob(next.jobs, kind, undefined) } : next;
    });
    return ours ? written : undefined;
  }

  async function fail(orderId: string, kind: JobKind, error: unknown) {
    const message = describe(error);
    let retry: { attempts: number; dueAt: number; failingSince: number } | undefined;
    let stuck = false;
    try {
      await store.update(orderId, (current) => {
        const job = current.jobs?.[kind];
        retry = undefined;
        stuck = false;
        if (job?.owner !== owner) return undefined;
        const time = now();
        const attempts = job.attempts + 1;
        const failingSince = job.failingSince ?? time;
        retry = { attempts, dueAt: time + backoff(attempts), failingSince };
        const { owner: _, ...rest } = job;
        let next: OrderRecord = {
          ...current,
          jobs: withJob(current.jobs, kind, {
            ...rest,
            attempts,
            lastError: message,
            failingSince,
            dueAt: retry.dueAt,
          }),
        };
        if (kind === 'refund' && current.latePayment && !current.latePayment.stuckSince) {
          stuck = time - failingSince >= settings.refundStuckMs;
          if (stuck) next = { ...next, latePayment: { ...current.latePayment, stuckSince: failingSince } };
        }
        return next;
      });
    } catch (storeError) {
      logger.warn(
        { err: storeError, orderId, job: kind },
        `could not record the failed ${kind} job of order ${orderId}`,
      );
      return;
    }
    if (!retry) return;
    const { attempts, dueAt, failingSince } = retry;
    logger.warn(
      { orderId, job: kind, attempts, error: message, retryAt: new Date(dueAt).toISOString() },
      `${kind} job of order ${orderId} failed (attempt ${attempts}); trying again in ${dueAt - now()} ms`,
    );
    emit({ type: 'retry', kind, orderId, attempts, error: message, retryAt: dueAt });
    if (stuck) {
      const failingForMs = now() - failingSince;
      logger.error(
        { orderId, job: kind, attempts, error: message, failingSince: new Date(failingSince).toISOString() },
        `the refund of the late payment on order ${orderId} is stuck: it has failed for ${Math.round(failingForMs / 1000)} s (${message}); the backend keeps trying`,
      );
      emit({ type: 'stuck', kind: 'refund', orderId, failingForMs, error: message });
    }
    arm(dueAt);
  }

  arm(now());
  return {
    wake: (dueAt = now()) => arm(dueAt),
    complete,
    fail,
    lease,
    async close() {
      closed = true;
      disarm?.();
      await round;
    },
  };
}
