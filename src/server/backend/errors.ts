/**
 * The backend's errors as the endpoint contract words them: an HTTP status and a `{code, message,
 * fields?}` body, never a stack trace. Amazon Pay failures are translated here, once.
 */
import type { ErrorBody, ErrorCode } from '../../contract/types.js';
import { AmazonPayError } from '../amazon-pay/types.js';
import { ServerError } from '../errors.js';

/**
 * An answer other than success. Throw it from the `authorize` and `checkOrder` hooks to refuse a
 * request (for example `new HttpError(401, 'UNAUTHORIZED', 'Sign in first.')`).
 */
export class HttpError extends ServerError {
  override readonly name: string = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode | (string & {}),
    message: string,
    /** For 400: each bad field and what is wrong with it. */
    readonly fields?: Record<string, string>,
    /** Extra response headers, such as `allow` for a 405. */
    readonly headers?: Record<string, string>,
    /** `cause`: the failure behind this answer, for the log (never sent to the caller). */
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** The response body the contract promises. */
  toBody(): ErrorBody {
    return this.fields
      ? { code: this.code, message: this.message, fields: this.fields }
      : { code: this.code, message: this.message };
  }
}

/** A 400 naming every bad field, one sentence each, in the message and in `fields`. */
export function invalidRequest(fields: Record<string, string>): HttpError {
  return new HttpError(400, 'INVALID_REQUEST', Object.values(fields).join(' '), fields);
}

/** A 404 for an order this backend does not know (or no longer remembers). */
export function orderNotFound(orderId: string): HttpError {
  return new HttpError(404, 'NOT_FOUND', `There is no order ${orderId}.`);
}

/**
 * What the caller is told when Amazon Pay failed: a stable code and sentence, never Amazon's own
 * words, which can name the state of the merchant's credentials ("the access key id is not known")
 * to whoever asks; the backend logs those. Amazon refusing our own credentials or arguments is the
 * merchant's problem, not the caller's: it becomes a 502, never a 401 or 400 that the element would
 * read as its own fault.
 */
export function fromAmazonPayError(error: AmazonPayError): HttpError {
  if (error.kind === 'timeout') {
    return new HttpError(504, 'UPSTREAM_TIMEOUT', 'Amazon Pay did not answer in time; try again.');
  }
  if (error.kind === 'network' || (error.kind === 'response' && error.retryable)) {
    return new HttpError(503, 'UPSTREAM_UNAVAILABLE', 'Amazon Pay could not be reached; try again.');
  }
  if (error.kind === 'response' && error.status === 409) {
    return new HttpError(409, 'ORDER_CONFLICT', 'Amazon Pay already has this order; use a new order id.');
  }
  if (error.kind === 'response' && error.status === 404) {
    return new HttpError(404, 'NOT_FOUND', 'Amazon Pay does not know this store or terminal.');
  }
  return new HttpError(502, 'UPSTREAM_ERROR', 'Amazon Pay could not take the request; the server log says why.');
}

/** Any thrown value as an `HttpError`; what is not recognised becomes a 500 without details. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof AmazonPayError) return fromAmazonPayError(error);
  return new HttpError(500, 'INTERNAL', 'Something went wrong on the server.');
}
