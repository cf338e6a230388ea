/**
 * The element's side of the endpoint contract: three calls, each with a timeout, the host's own
 * `RequestInit` (headers, credentials) merged in, and every answer validated before use.
 */
import type { CancelRequest, CreateQrRequest, OrderView } from '../contract/types.js';
import { ContractError, invalidResponse, networkError } from './errors.js';
import { parseErrorBody, parseOrderView } from './validate.js';

/** Timeout of a call that the backend answers at once. */
export const REQUEST_TIMEOUT_MS = 15_000;
/** Extra time a long poll gets beyond the seconds it asks the backend to hold it. */
export const LONG_POLL_MARGIN_MS = 10_000;

/** The three contract calls, as a session makes them; each answer is a validated order view. */
export interface ContractCalls {
  /** `POST {endpoint}/qr`: a new QR, or the same pending order again (resume). */
  createQr(body: CreateQrRequest, signal: AbortSignal): Promise<OrderView>;
  /** `GET {endpoint}/qr/{orderId}?wait=S`: the backend holds it up to `wait` seconds for a change. */
  getStatus(orderId: string, wait: number, signal: AbortSignal): Promise<OrderView>;
  /** `POST {endpoint}/qr/{orderId}/cancel`. */
  cancel(orderId: string, body: CancelRequest, signal: AbortSignal): Promise<OrderView>;
}

function mergeHeaders(base: HeadersInit | undefined, extra: Record<string, string>): Headers {
  const headers = new Headers(base);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return headers;
}

/** Calls one merchant backend's contract endpoints, through `fetch` (the page's, unless given another). */
export class ContractClient implements ContractCalls {
  constructor(
    private readonly endpoint: string,
    private readonly init: RequestInit = {},
    private readonly fetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init),
  ) {}

  createQr(body: CreateQrRequest, signal: AbortSignal): Promise<OrderView> {
    return this.call('POST', '/qr', signal, REQUEST_TIMEOUT_MS, body);
  }

  getStatus(orderId: string, wait: number, signal: AbortSignal): Promise<OrderView> {
    const query = wait > 0 ? `?wait=${wait}` : '';
    return this.call('GET', `/qr/${encodeURIComponent(orderId)}${query}`, signal, wait * 1000 + LONG_POLL_MARGIN_MS);
  }

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
    // Outside the network's try: a header the host set that `Headers` refuses is the page's fault, not the network's.
    const headers = mergeHeaders(this.init.headers, {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    });
    // Kept to ask whether it fired: WebKit rejects an aborted fetch with its own AbortError, not the signal's reason.
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await this.fetch(`${this.endpoint.replace(/\/+$/, '')}${path}`, {
        ...this.init,
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.any([signal, timeout]),
      });
    } catch (error) {
      throw this.failure(error, signal, timeout);
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch (error) {
      if (signal.aborted || timeout.aborted) throw this.failure(error, signal, timeout);
      if (!response.ok) throw httpError(response.status, undefined);
      throw invalidResponse(`the body is not JSON (${method} ${path})`);
    }
    if (!response.ok) throw httpError(response.status, json);
    return parseOrderView(json);
  }

  /** Our own abort passes through untouched; a timeout or a network failure becomes retryable. */
  private failure(error: unknown, signal: AbortSignal, timeout: AbortSignal): unknown {
    if (signal.aborted) return signal.reason ?? error;
    if (timeout.aborted) {
      return new ContractError('TIMEOUT', 'The payment server did not answer in time.', undefined, true, {
        cause: error,
      });
    }
    return networkError(error);
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
