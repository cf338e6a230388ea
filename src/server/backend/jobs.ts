/**
 * What the backend owes an order, as data: each obligation (settle an order that expired, learn
 * the outcome of a cancel, look for a late payment, refund one, check a status Amazon announced)
 * is a job inside the order's record, with its due time, its attempts and its last error. A job is
 * written in the same atomic update that creates the need for it, so a crash can never lose one,
 * and every store indexes each order's next due time so a worker finds due work without a scan.
 */
import type { CancelRequest } from '../../contract/types.js';

/** The kinds of job, in the order a worker runs an order's due jobs. */
export const JOB_KINDS = ['cancel', 'check', 'settle', 'followUp', 'refund'] as const;

/** What a job is for. */
export type JobKind = (typeof JOB_KINDS)[number];

/** One obligation and where it stands. */
export interface Job {
  /**
   * Epoch milliseconds from which the job may run. While a worker holds the job this is the end
   * of its lease: another instance takes the job over only once the lease is over.
   */
  dueAt: number;
  /** Failed attempts so far (reset by nothing: a job ends when it succeeds). */
  attempts: number;
  /** Why the last attempt failed. */
  lastError?: string;
  /** When the current run of failures began, for reporting a job that keeps failing. */
  failingSince?: number;
  /** The instance holding the job's lease, while it runs it. */
  owner?: string;
}

/** A cancel that was (or is about to be) sent to Amazon, with the terms it was sent with. */
export interface CancelJob extends Job {
  request: CancelRequest;
}

/** The checks for a late payment after an order ended unpaid. */
export interface FollowUpJob extends Job {
  /** When the order ended; each check is due a fixed delay after it. */
  endedAt: number;
  /** Which of the follow-up delays is next. */
  step: number;
}

/** An order's open jobs, at most one of each kind. */
export interface Jobs {
  /** Send (again) the cancel whose answer has not been recorded. */
  cancel?: CancelJob;
  /** Ask Amazon for the status: a notification announced news that could not be checked yet. */
  check?: Job;
  /** At the QR's expiry: a last status check, then a cancel with refund (`SESSION_EXPIRED`). */
  settle?: Job;
  /** After the order ended unpaid: look for a payment whose notification may be lost. */
  followUp?: FollowUpJob;
  /** Ask Amazon to refund the recorded late payment. */
  refund?: Job;
}

/** A job due at `dueAt` that has not been tried yet. */
export function newJob(dueAt: number): Job {
  return { dueAt, attempts: 0 };
}

/** The earliest due time among the record's jobs, or `undefined` when it owes nothing. */
export function nextDueAt(jobs: Jobs | undefined): number | undefined {
  let next: number | undefined;
  for (const kind of JOB_KINDS) {
    const job = jobs?.[kind];
    if (job && (next === undefined || job.dueAt < next)) next = job.dueAt;
  }
  return next;
}

/** `jobs` with `kind` set to `job` (or removed when `job` is undefined); `undefined` when none are left. */
export function withJob<K extends JobKind>(
  jobs: Jobs | undefined,
  kind: K,
  job: Jobs[K] | undefined,
): Jobs | undefined {
  const next: Jobs = { ...jobs, [kind]: job };
  if (job === undefined) delete next[kind];
  return JOB_KINDS.some((name) => next[name] !== undefined) ? next : undefined;
}
