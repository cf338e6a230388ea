/**
 * The reference merchant backend: the endpoint contract (docs/endpoint-contract.md) as a Web
 * `fetch` handler, so it runs on Node (see node-adapter.ts), on edge runtimes and inside Express,
 * Fastify or Hono. It signs every Amazon Pay call through the client it is given and never says
 * `paid` without a verified Get-status answer.
 */
import type { AmazonPayClient } from '../amazon-pay/types.js';
import { DEFAULT_BODY_LIMIT, readJson } from '../body.js';
import { createLogger, type Logger } from '../log.js';
import { corsHeaders, preflight } from './cors.js';
import { HttpError, toHttpError } from './errors.js';
import { createIpnHandler } from './ipn.js';
import { DEFAULT_REFUND_RETRY_DELAYS_MS } from './late-payments.js';
import { createOrderService, type CheckOrderHook } from './orders.js';
import { createMemoryStore, type OrderStore } from './store.js';
import { createTimers, type Timers } from './timers.js';
import { AMAZON_STATUS_SCHEDULE, createTracker } from './tracker.js';
import { parseCancelRequest, parseCreateRequest, parseOrderId, parseWait } from './validation.js';
import { toOrderView } from './view.js';

export { HttpError } from './errors.js';
export { createMemoryStore, OrderExistsError } from './store.js';
export type { LatePayment, MemoryStoreOptions, OrderRecord, OrderStore } from './store.js';
export type { CheckOrderHook, OrderCheck } from './orders.js';
export { AMAZON_STATUS_SCHEDULE, DEFAULT_LATE_PAYMENT_CHECKS_MS } from './tracker.js';
export type { Timers } from './timers.js';

/** Which contract call a request is, for the `authorize` hook. */
export type BackendAction = 'create' | 'status' | 'cancel';

/**
 * Decides whether the caller may do `action`; throw `new HttpError(401 | 403, code, message)` to
 * refuse. Runs after the input is checked, before anything is stored or sent to Amazon.
 */
export type AuthorizeHook = (
  request: Request,
  context: { action: BackendAction; orderId: string; body?: unknown },
) => void | Promise<void>;

export interface BackendOptions {
  /** The signed Amazon Pay client (`createAmazonPayClient`). */
  client: AmazonPayClient;
  /** Where the contract is mounted. Default `/api/dqr`. */
  basePath?: string;
  /** Default: a `createMemoryStore()` for this process. */
  store?: OrderStore;
  /** Origins allowed to call from a browser page on another origin. Default none. */
  corsOrigins?: readonly string[];
  /** Largest accepted request body in bytes. Default 16 KiB. */
  bodyLimit?: number;
  /** Seconds between Get-status calls while a long poll waits. Default Amazon's schedule. */
  statusScheduleSeconds?: readonly number[];
  /** Random spread of each polling delay, as a fraction. Default 0.1. */
  statusJitter?: number;
  /** Delays between retries of a failed late-payment refund, in milliseconds. */
  refundRetryDelaysMs?: readonly number[];
  /** Milliseconds after an order ended unpaid at which Amazon is asked again for a late payment. */
  latePaymentChecksMs?: readonly number[];
  /** Origins besides Amazon SNS whose signing certificates the IPN endpoint trusts (the sandbox). */
  trustedIpnOrigins?: () => readonly string[];
  authorize?: AuthorizeHook;
  checkOrder?: CheckOrderHook;
  /** Where the backend's log lines go. Default a `createLogger()` writing JSON to standard output. */
  logger?: Logger;
  /** Failures nobody waits for (background status checks, refunds, 500s). Default: logged at error level. */
  onError?: (error: unknown, context: string) => void;
  /** The clock. Default `Date.now`. */
  now?: () => number;
  /** Schedules the backend's delayed work; tests pass timers driven by their own clock. */
  timers?: Timers;
  /** Used to fetch SNS certificates and confirm subscriptions. Default the global `fetch`. */
  fetch?: typeof fetch;
}

/** A contract endpoint as a Web handler; `close()` stops every timer it started. */
export interface Backend {
  fetch(request: Request): Promise<Response>;
  close(): void;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

function methodNotAllowed(allow: string) {
  return new HttpError(405, 'METHOD_NOT_ALLOWED', `Use ${allow} here.`, undefined, { allow });
}

function decodeSegment(segment: string) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Creates the backend. */
export function createBackend(options: BackendOptions): Backend {
  const basePath = options.basePath ?? '/api/dqr';
  const now = options.now ?? Date.now;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const corsOrigins = options.corsOrigins ?? [];
  const logger = options.logger ?? createLogger();
  const onError = options.onError ?? ((error, context) => logger.error({ err: error, context }, context));
  const store = options.store ?? createMemoryStore({ now });
  const timers = options.timers ?? createTimers();
  const tracker = createTracker({
    client: options.client,
    store,
    timers,
    now,
    scheduleSeconds: [...(options.statusScheduleSeconds ?? AMAZON_STATUS_SCHEDULE)],
    jitter: options.statusJitter ?? 0.1,
    refundRetryDelaysMs: [...(options.refundRetryDelaysMs ?? DEFAULT_REFUND_RETRY_DELAYS_MS)],
    latePaymentChecksMs: options.latePaymentChecksMs,
    onError,
  });
  const orders = createOrderService({
    client: options.client,
    store,
    tracker,
    timers,
    now,
    checkOrder: options.checkOrder,
  });
  const ipn = createIpnHandler({
    store,
    tracker,
    trustedOrigins: options.trustedIpnOrigins ?? (() => []),
    fetch: options.fetch ?? globalThis.fetch,
  });

  async function authorize(request: Request, action: BackendAction, orderId: string, body?: unknown) {
    await options.authorize?.(request, { action, orderId, body });
  }

  async function route(request: Request, path: string): Promise<Response> {
    const [resource, rawId, action, ...rest] = path.split('/').slice(1);
    if (request.method === 'OPTIONS') return preflight(request, corsOrigins);
    if (resource === 'ipn' && rawId === undefined) {
      if (request.method !== 'POST') throw methodNotAllowed('POST');
      return ipn(request);
    }
    if (resource !== 'qr' || rest.length > 0) throw new HttpError(404, 'NOT_FOUND', 'There is nothing here.');
    if (rawId === undefined) {
      if (request.method !== 'POST') throw methodNotAllowed('POST');
      const input = parseCreateRequest(await readJson(request, bodyLimit));
      await authorize(request, 'create', input.orderId, input);
      const { record, created } = await orders.create(input);
      return json(created ? 201 : 200, toOrderView(record, now()));
    }
    const orderId = parseOrderId(decodeSegment(rawId));
    if (action === undefined) {
      if (request.method !== 'GET') throw methodNotAllowed('GET');
      const wait = parseWait(new URL(request.url).searchParams.get('wait'));
      await authorize(request, 'status', orderId);
      return json(200, toOrderView(await orders.read(orderId, wait, request.signal), now()));
    }
    if (action !== 'cancel') throw new HttpError(404, 'NOT_FOUND', 'There is nothing here.');
    if (request.method !== 'POST') throw methodNotAllowed('POST');
    const cancel = parseCancelRequest(await readJson(request, bodyLimit));
    await authorize(request, 'cancel', orderId, cancel);
    return json(200, toOrderView(await orders.cancel(orderId, cancel), now()));
  }

  return {
    async fetch(request) {
      const path = new URL(request.url).pathname;
      if (path !== basePath && !path.startsWith(`${basePath}/`)) {
        return json(404, { code: 'NOT_FOUND', message: 'There is nothing here.' });
      }
      const cors = corsHeaders(request, corsOrigins);
      try {
        const response = await route(request, path.slice(basePath.length));
        for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);
        return response;
      } catch (thrown) {
        const error = toHttpError(thrown);
        if (error.status === 500) onError(thrown, `${request.method} ${path}`);
        return json(error.status, error.toBody(), { ...error.headers, ...cors });
      }
    },
    close() {
      timers.clear();
    },
  };
}
