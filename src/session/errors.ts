/**
 * How a session's calls fail. Every failure it reports is a `ContractError`: the backend's own
 * (its code and HTTP status), the network's (retryable), an answer it cannot use, or a fault in the
 * element or the page's code, which retrying cannot mend.
 */
import { plainText } from './plain-text.js';

/** Longest message of an internal failure: a cashier reads it, and it must not push the QR off screen. */
const MAX_INTERNAL_MESSAGE = 300;

/**
 * A call that did not give a usable order view. `retryable` is true for 5xx, network failures and
 * timeouts (trying again may work), false for 4xx, invalid responses and internal faults (it will not).
 */
export class ContractError extends Error {
  override readonly name = 'ContractError';
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
    readonly retryable = false,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Any failure as a `ContractError`. One that is not (an exception in the element's own handling or
 * in the page's settings, such as a header value `fetch` refuses) is `INTERNAL` and never retried:
 * retrying the same code gives the same exception.
 */
export function toContractError(error: unknown): ContractError {
  if (error instanceof ContractError) return error;
  const detail = plainText(error instanceof Error ? error.message : String(error), MAX_INTERNAL_MESSAGE);
  return new ContractError('INTERNAL', `The payment element failed: ${detail}`, undefined, false, { cause: error });
}

/** The payment server could not be reached (the request never got an answer). */
export function networkError(cause: unknown): ContractError {
  return new ContractError('NETWORK_ERROR', 'The payment server could not be reached.', undefined, true, { cause });
}

/** An answer the element cannot use; `what` says what is wrong with it. */
export function invalidResponse(what: string): ContractError {
  return new ContractError('INVALID_RESPONSE', `The payment server sent an invalid response: ${what}.`);
}
