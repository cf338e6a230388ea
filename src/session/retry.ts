/**
 * Retrying on a backoff: the delay between tries, and a bounded retry of a call that is safe to
 * repeat (asking for an order's QR again gives the same QR) while its failures are retryable, so
 * a cashier waits through a short outage without pressing anything and gets a retry button after
 * a long one.
 */
import type { SessionEnvironment } from './environment.js';
import { ContractError } from './errors.js';

/** How long a failing call keeps being retried before the failure is shown as final. */
export const RETRY_WINDOW_MS = 60_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

/** The delay before retry number `attempt` (1-based): doubling, capped, with full jitter on its upper half. */
export function backoffDelay(attempt: number, random: number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return ceiling / 2 + (ceiling / 2) * random;
}

/** What `retrying` waits with and reports to. */
export interface RetryOptions {
  signal: AbortSignal;
  environment: Pick<SessionEnvironment, 'now' | 'after' | 'random'>;
  /** Called before each wait, with the failure that caused it. */
  onRetry(error: ContractError): void;
  windowMs?: number;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
function pause(ms: number, signal: AbortSignal, after: SessionEnvironment['after']): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      cancel();
      reject(signal.reason as Error);
    };
    const cancel = after(ms, () => {
      signal.removeEventListener('abort', done);
      resolve();
    });
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * `call`'s answer; a retryable `ContractError` is retried until `windowMs` has passed since the
 * first attempt, anything else (and the last failure) is thrown. An abort ends it at once.
 */
export async function retrying<T>(
  call: () => Promise<T>,
  { signal, environment, onRetry, windowMs = RETRY_WINDOW_MS }: RetryOptions,
): Promise<T> {
  const started = environment.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const delay = backoffDelay(attempt, environment.random());
      if (
        signal.aborted ||
        !(error instanceof ContractError) ||
        !error.retryable ||
        environment.now() + delay - started > windowMs
      ) {
        throw error;
      }
      onRetry(error);
      await pause(delay, signal, environment.after);
    }
  }
}
