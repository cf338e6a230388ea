/**
 * Failures, told once each: a log line with the whole cause chain (Amazon's code, HTTP status and
 * request id for an Amazon Pay failure), and the embedder's `onError` for its error tracker. What
 * is retried by itself or was refused at the door is a warning; everything else is an error.
 */
import { AmazonPayError } from '../amazon-pay/types.js';
import type { Logger } from '../log.js';
import { HttpError } from './errors.js';

/** Reports `error`, which happened while doing `context`; `fields` go into the log line. */
export type Report = (error: unknown, context: string, fields?: Record<string, unknown>) => void;

function isWarning(error: unknown): boolean {
  if (error instanceof AmazonPayError) return error.retryable;
  return error instanceof HttpError && error.status < 500;
}

/** A `Report` writing to `logger` and telling `onError`. */
export function createReporter(logger: Logger, onError?: (error: unknown, context: string) => void): Report {
  return (error, context, fields = {}) => {
    const amazonPay =
      error instanceof AmazonPayError
        ? { kind: error.kind, code: error.code, status: error.status, requestId: error.requestId }
        : undefined;
    const message = error instanceof Error ? error.message : String(error);
    logger[isWarning(error) ? 'warn' : 'error'](
      { err: error, context, amazonPay, ...fields },
      `${context}: ${message}`,
    );
    onError?.(error, context);
  };
}
