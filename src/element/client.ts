/**
 * The element's side of the endpoint contract: three calls, each with a timeout, the host's own
 * `RequestInit` (headers, credentials) merged in, and every answer validated before use.
 */
import type { CancelRequest, CreateQrRequest, OrderView } from '../contract/types.js';
import { parseErrorBody, parseOrderView } from './validate.js';

/**
 * A call that did not give a usable order view. `retryable` is true for 5xx, network failures and
 * timeouts (trying again may work), false for 4xx and invalid responses (it will not).
 */
export class ContractError extends Error {
  override readonly name = 'ContractError';
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
    readonly retryable = false,
  ) {
    super(message);
  }
}

/** Any failure as a `ContractError`: one that is not (the network, a bug) counts as a retryable network failure. */
export function asContractError(error: unknown): ContractError {
  return error instanceof ContractError
    ? error
    : new ContractError('NETWORK_ERROR', 'The payment server could not be reached.', undefined, true);
}

/** An answer the element cannot use; `what` says what is wrong with it. */
export function invalidResponse(what: string): ContractError {
  return new ContractError('INVALID_RESPONSE', `The payment server sent an invalid response: ${what}.`);
}

/** Timeout of a call that the backend answers at once. */
export const REQUEST_TIMEOUT_MS = 15_000;
/** Extra time a long poll gets beyond the seconds it asks the backend to hold it. */
export const LONG_POLL_MARGIN_MS = 10_000;

function mergeHeaders(base: HeadersInit | undefined, extra: Record<string, string>): Headers {
  const headers = new Headers(base);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return headers;
}

/** Calls one merchant backend's contract endpoints. */
export class ContractClient {
  constructor(
    private readonly endpoint: string,
    private readonly init: RequestInit = {},
  ) {}

  /** `POST {endpoint}/qr`: a new QR, or the same pending order again (resume). */
  createQr(body: CreateQrRequest, signal: AbortSignal): Promise<OrderView> {
    return this.call('POST', '/qr', signal, REQUEST_TIMEOUT_MS, body);
  }

  /** `GET {endpoint}/qr/{orderId}?wait=S`: the backend holds it up to `wait` seconds for a change. */
  getStatus(orderId: string, wait: number, signal: AbortSignal): Promise<OrderView> {
    const query = wait > 0 ? `?wait=${wait}` : '';
    return this.call('GET', `/qr/${encodeURIComponent(orderId)}${query}`, signal, wait * 1000 + LONG_POLL_MARGIN_MS);
  }

  /** `POST {endpoint}/qr/{orderId}/cancel`. */
  cancel(orderId: string, body: CancelRequest, signal: AbortSignal): Promise<OrderView> {
    return this.call('POST', `/qr/${encodeURIComponent(orderId)}/cancel`, signal, REQUEST_TIMEOUT_MS, body);
  }

  private async call(
    method: string,
    path: string,
    signal: AbortSignal,
    timeoutMs: number,
    body?: unknown,
  ): Promise<OrderView> {
    const headers = mergeHeaders(this.init.headers, {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    });
    let response: Response;
    try {
      response = await fetch(`${this.endpoint.replace(/\/+$/, '')}${path}`, {
        ...this.init,
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
    } catch (error) {
      throw this.failure(error, signal);
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch (error) {
      if (signal.aborted || (error instanceof DOMException && error.name === 'TimeoutError')) {
        throw this.failure(error, signal);
      }
      if (!response.ok) throw httpError(response.status, undefined);
      throw invalidResponse(`the body is not JSON (${method} ${path})`);
    }
    if (!response.ok) throw httpError(response.status, json);
    return parseOrderView(json);
  }

  /** Our own abort passes through untouched; a timeout or a network failure becomes retryable. */
  private failure(error: unknown, signal: AbortSignal): unknown {
    if (signal.aborted) return signal.reason ?? error;
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      return new ContractError('TIMEOUT', 'The payment server did not answer in time.', undefined, true);
    }
    return asContractError(error);
  }
}

function httpError(status: number, json: unknown): ContractError {
  const body = parseErrorBody(json);
  const retryable = status >= 500 || status === 429 || status === 408;
  return new ContractError(
    body?.code ?? `HTTP_${status}`,
    body?.message ?? `The payment server answered with HTTP ${status}.`,
    status,
    retryable,
  );
}
