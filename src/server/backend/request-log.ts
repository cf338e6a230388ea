/**
 * One log line and one metric per contract request: which route it was, for which order and
 * terminal, how it was answered and how long that took, under a request id the caller may give
 * (`x-request-id`, as proxies and tracers send it) and always gets back.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';

/** The header that carries a request's id, in and out. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** An id a caller may choose: printable, no spaces, short enough for a log line. */
const CALLER_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/** The contract's routes, as the log and the metrics name them. */
export type Route = 'POST /qr' | 'GET /qr/:orderId' | 'POST /qr/:orderId/cancel' | 'POST /ipn' | 'OPTIONS' | 'unknown';

/** What is known about a request, filled in as it is routed. */
export interface RequestFacts {
  requestId: string;
  /** The request's URL, parsed once. */
  url: URL;
  route: Route;
  orderId?: string;
  terminalId?: string;
  /** The seconds a status request asked to be held (`?wait=`), when above 0. */
  wait?: number;
}

/** The facts of a request before routing: its id, from `x-request-id` when usable. */
export function newFacts(request: Request): RequestFacts {
  const given = request.headers.get(REQUEST_ID_HEADER);
  const requestId = given && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
  return { requestId, url: new URL(request.url), route: 'unknown' };
}

/** Writes the request's log line and records it in the metrics. */
export function logRequest(
  logger: Logger,
  metrics: Metrics,
  request: Request,
  facts: RequestFacts,
  status: number,
  durationMs: number,
): void {
  const { requestId, route, orderId, terminalId, wait } = facts;
  metrics.request(route, status, wait ? undefined : durationMs / 1000);
  const line = { requestId, method: request.method, route, status, durationMs, orderId, terminalId, wait };
  const text = `${route === 'unknown' ? `${request.method} ${facts.url.pathname}` : route} ${status}`;
  if (status >= 500) logger.error(line, text);
  else logger.info(line, text);
}
