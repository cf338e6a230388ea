/**
 * How the backend's jobs are paced: the retry backoff, the lease, how often the worker looks, when
 * a refund counts as stuck and when an ended order is checked for a late payment. Production keeps
 * the defaults; tests scale them down to run minutes of obligations in seconds.
 */
import { DEFAULT_JOB_SETTINGS, type JobSettings } from '../backend/worker.js';
import type { Settings } from './env.js';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Reads the job settings. A lease must outlast the longest a job's Amazon Pay call can take (three
 * attempts at `amazonTimeoutMs`), or a slow call could be taken over and made twice.
 */
export function readJobs(settings: Settings, amazonTimeoutMs: number): JobSettings {
  const defaults = DEFAULT_JOB_SETTINGS;
  const retryMinMs = settings.integer('DQR_JOB_RETRY_MIN_MS', defaults.retryMinMs, 10, HOUR_MS);
  const retryMaxMs = settings.integer('DQR_JOB_RETRY_MAX_MS', defaults.retryMaxMs, 10, 24 * HOUR_MS);
  if (retryMaxMs < retryMinMs) settings.problem('DQR_JOB_RETRY_MAX_MS must not be below DQR_JOB_RETRY_MIN_MS.');
  const leaseMs = settings.integer('DQR_JOB_LEASE_MS', defaults.leaseMs, 100, HOUR_MS);
  if (leaseMs <= 3 * amazonTimeoutMs) {
    settings.problem(
      `DQR_JOB_LEASE_MS (${leaseMs}) must be longer than three Amazon Pay calls (3 × AMAZON_PAY_TIMEOUT_MS = ${3 * amazonTimeoutMs}).`,
    );
  }
  return {
    retryMinMs,
    retryMaxMs,
    leaseMs,
    sweepMs: settings.integer('DQR_JOB_SWEEP_MS', defaults.sweepMs, 10, HOUR_MS),
    refundStuckMs: settings.integer('DQR_REFUND_STUCK_MS', defaults.refundStuckMs, 0, 7 * 24 * HOUR_MS),
    followUpDelaysMs: settings
      .seconds(
        'DQR_FOLLOW_UP_SCHEDULE',
        defaults.followUpDelaysMs.map((ms) => ms / 1000),
        24 * 60 * 60,
      )
      .map((seconds) => Math.round(seconds * 1000)),
  };
}
