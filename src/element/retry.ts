/**
 * Retries a call that is safe to repeat (asking for an order's QR again gives the same QR) while
 * its failures are retryable, on the poller's backoff, for a bounded time: a cashier waits through
 * a short outage without pressing anything, and gets a retry button after a long one.
 */
import { ContractError } from './client.js';
import { backoffDelay } from './status-poller.js';

/** How long a failing call keeps being retried before the failure is shown as final. */
export const RETRY_WINDOW_MS = 60_000;

/** What `retrying` reports while it waits. */
export interface RetryOptions {
  signal: AbortSignal;
  /** Called before each wait; `first` is true for the first failure only. */
  onRetry(error: ContractError, first: boolean): void;
  windowMs?: number;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', done);
      resolve();
    }, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * `call`'s answer; a retryable `ContractError` is retried until `windowMs` has passed since the
 * first attempt, anything else (and the last failure) is thrown. An abort ends it at once.
 */
export async function retrying<T>(
  call: () => Promise<T>,
  { signal, onRetry, windowMs = RETRY_WINDOW_MS }: RetryOptions,
): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const delay = backoffDelay(attempt);
      if (
        signal.aborted ||
        !(error instanceof ContractError) ||
        !error.retryable ||
        Date.now() + delay - started > windowMs
      ) {
        throw error;
      }
      onRetry(error, attempt === 1);
      await pause(delay, signal);
    }
  }
}
