/**
 * The reference merchant backend: the endpoint contract (docs/endpoint-contract.md) as a Web
 * `fetch` handler, so it runs on Node (see node-adapter.ts), on edge runtimes and inside Express,
 * Fastify or Hono. It signs every Amazon Pay call through the client it is given and never says
 * `paid` without a verified Get-status answer.
 */
import { setMaxListeners } from 'node:events';
import type { Mode } from '../../contract/types.js';
import { AmazonPayError, type AmazonPayClient } from '../amazon-pay/types.js';
import { DEFAULT_BODY_LIMIT, readJson } from '../body.js';
import { createLogger, type Logger } from '../log.js';
import { createMetrics, type Metrics } from '../metrics.js';
import { checkAccess, checkCaller, checkCancel, checkCreate, ownerOf, type Caller } from './access.js';
import { corsHeaders, preflight } from './cors.js';
import { HttpError, orderNotFound, toHttpError } from './errors.js';
import type { CheckOrderHook } from './orders.js';
import { createBackendParts } from './parts.js';
import { createPendingCap, DEFAULT_PENDING_LIMITS, type PendingLimits } from './pending-cap.js';
import { createReporter } from './report.js';
import { newFacts, logRequest, REQUEST_ID_HEADER, type RequestFacts } from './request-log.js';
import type { OrderRecord, OrderStore } from './store.js';
import { createTerminalAuthenticator, type TerminalCredential } from './terminals.js';
import type { Timers } from './timers.js';
import { parseCancelRequest, parseCreateRequest, parseOrderId, parseWait } from './validation.js';
import { toOrderView } from './view.js';
import type { JobEvent, JobSettings } from './worker.js';
import { forCaller, textResponse } from '../answer-text.js';

export { HttpError } from './errors.js';
export { createMemoryStore, OrderExistsError, StoreUnavailableError } from './store.js';
export type { DueOrder, LatePayment, MemoryStoreOptions, OrderRecord, OrderStore } from './store.js';
export type { CancelJob, FollowUpJob, Job, JobKind, Jobs } from './jobs.js';
export type { CheckOrderHook, OrderCheck } from './orders.js';
export { PERMISSIONS, type Caller, type OrderOwner, type Permission } from './access.js';
export { DEFAULT_PENDING_LIMITS, type PendingLimits } from './pending-cap.js';
export type { PendingCount } from './store.js';
export {
  hashToken,
  newTerminalToken,
  parseTerminalTokens,
  terminalTokensLine,
  type ParsedTerminalTokens,
  type TerminalCredential,
} from './terminals.js';
export { AMAZON_STATUS_SCHEDULE } from './tracker.js';
export { DEFAULT_JOB_SETTINGS, type JobEvent, type JobSettings } from './worker.js';
export type { Timers } from './timers.js';

/** Which contract call a request is, for the `authorize` hook. */
export type BackendAction = 'create' | 'status' | 'cancel';

/**
 * Decides whether the caller may do `action`; throw `new HttpError(401 | 403, code, message)` to
 * refuse. Runs after the input is checked (and after the terminal's token, when `terminals` are
 * given), before anything is stored or sent to Amazon. Return the `Caller` (its terminal, store and
 * permissions) to have the backend bind each order to the terminal that created it, as it does for
 * `terminals`; `terminal` is the caller its token names, if any.
 */
export type AuthorizeHook = (
  request: Request,
  context: { action: BackendAction; orderId: string; body?: unknown; terminal?: Caller },
) => void | Caller | Promise<void | Caller>;

export interface BackendOptions {
  /** The signed Amazon Pay client (`createAmazonPayClient`). */
  client: AmazonPayClient;
  /**
   * Whom `client` talks to, told in every order view: `sandbox` for the emulator (the element marks
   * its QRs). Default `production`, which needs `terminals` or `authorize`.
   */
  mode?: Mode;
  /**
   * The terminals that may call the contract, each with its token's hash (`DQR_TERMINAL_TOKENS_FILE`):
   * a call without one of their tokens gets a 401, and each order is bound to its terminal.
   */
  terminals?: readonly TerminalCredential[];
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
  /** How the backend's jobs are paced (retries, lease, follow-ups); default `DEFAULT_JOB_SETTINGS`. */
  jobs?: Partial<JobSettings>;
  /** Each job done, retried or stuck, as it happens (for metrics). */
  onJobEvent?: (event: JobEvent) => void;
  /** This instance's name on the jobs it leases. Default a random UUID. */
  instanceId?: string;
  /** Caps on the orders waiting to be paid. Default 2,000 in all, 10 per terminal. */
  pendingLimits?: Partial<PendingLimits>;
  /** The SNS topics (`arn:aws:sns:…`) Amazon Pay's notifications come from. Default none: every notification is ignored. */
  snsTopicArns?: readonly string[];
  /** Origins besides Amazon SNS whose signing certificates the IPN endpoint trusts (the sandbox). */
  trustedIpnOrigins?: () => readonly string[];
  authorize?: AuthorizeHook;
  checkOrder?: CheckOrderHook;
  /**
   * Where the backend's log lines go: one per request, and every failure with its cause. Default a
   * `createLogger()` writing JSON to standard output.
   */
  logger?: Logger;
  /**
   * Told of every failure besides the log line (for an error tracker): each answer of 500 or more,
   * every failed Amazon Pay call (a refusal, no answer, a bad signature), every rejected
   * notification, and failures nobody waits for (background status checks, refunds).
   */
  onError?: (error: unknown, context: string) => void;
  /** Where the backend records its metrics (`createMetrics()`). Default metrics of its own, in `backend.metrics`. */
  metrics?: Metrics;
  /** The clock. Default `Date.now`. */
  now?: () => number;
  /** Schedules the backend's delayed work; tests pass timers driven by their own clock. */
  timers?: Timers;
  /** Used to fetch SNS certificates and confirm subscriptions. Default the global `fetch`. */
  fetch?: typeof fetch;
}

/** What `backend.readiness()` found: ready when every check passed. */
export interface Readiness {
  ready: boolean;
  checks: {
    /** `ok`, `unreachable` (the store's error is logged, not answered) or `no answer within 2000 ms`. */
    store: string;
    /** True from the start of a shutdown. */
    draining: boolean;
  };
}

/** How long the readiness check waits for the store: a store slower than this cannot serve either. */
const READINESS_TIMEOUT_MS = 2_000;

/** A contract endpoint as a Web handler, and the worker that keeps its promises. */
export interface Backend {
  fetch(request: Request): Promise<Response>;
  /** The metrics it records: `await backend.metrics.registry.metrics()` for Prometheus. */
  metrics: Metrics;
  /**
   * Starts a shutdown: every held long poll is answered at once with the order as it is, status
   * requests from now on are answered without being held, so terminals ask again elsewhere, and
   * the job worker takes no new job.
   */
  drain(): void;
  /** Whether it can serve now: its store answers and it is not draining (`GET /readyz`). */
  readiness(): Promise<Readiness>;
  /** Stops every timer and the worker; resolves once the jobs it was running are done. */
  close(): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return textResponse(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

function methodNotAllowed(allow: string) {
  return new HttpError(405, 'METHOD_NOT_ALLOWED', `Use ${allow} here.`, undefined, { allow });
}

/** The terminal an order belongs to, or was created for, for the request log. */
function terminalOf(record: OrderRecord): string | undefined {
  return record.owner?.terminalId ?? record.terminalId;
}

function decodeSegment(segment: string) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Creates the backend; in production mode it refuses to exist without a way to tell terminals apart. */
export function createBackend(options: BackendOptions): Backend {
  const mode = options.mode ?? 'production';
  if (mode === 'production' && !options.terminals && !options.authorize) {
    throw new TypeError(
      'A production backend needs `terminals` (DQR_TERMINAL_TOKENS_FILE) or an `authorize` hook: without one, anybody who reaches it can read and cancel any order.',
    );
  }
  const basePath = options.basePath ?? '/api/dqr';
  const now = options.now ?? Date.now;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const corsOrigins = options.corsOrigins ?? [];
  const logger = options.logger ?? createLogger();
  const metrics = options.metrics ?? createMetrics();
  const report = createReporter(logger, options.onError);
  const onError = (error: unknown, context: string) => report(error, context);
  const draining = new AbortController();
  /** Whether the last readiness check found the store down: its outage is logged once. */
  let storeDown = false;
  // One listener per held long poll: thousands, by design.
  setMaxListeners(0, draining.signal);
  const { store, orders, ipn, worker, timers } = createBackendParts(options, logger, onError, {
    metrics,
    draining: draining.signal,
  });
  const authenticate = options.terminals ? createTerminalAuthenticator(options.terminals) : undefined;
  const admit = createPendingCap(store, { ...DEFAULT_PENDING_LIMITS, ...options.pendingLimits }, now);
  const view = (record: OrderRecord) => toOrderView(record, now(), mode);

  /** The caller as the token and then the hook tell; `undefined` when neither says. */
  async function identify(
    request: Request,
    terminal: Caller | undefined,
    action: BackendAction,
    orderId: string,
    body?: unknown,
  ): Promise<Caller | undefined> {
    if (!options.authorize) return terminal;
    const told = await options.authorize(request, { action, orderId, body, terminal });
    return told ? checkCaller(told) : terminal;
  }

  /** The stored order, when `caller` may see it; a 404 when there is none. */
  async function accessible(orderId: string, caller: Caller | undefined) {
    const record = await store.get(orderId);
    if (!record) throw orderNotFound(orderId);
    if (caller) checkAccess(caller, record);
    return record;
  }

  async function create(request: Request, terminal: Caller | undefined, facts: RequestFacts) {
    const input = parseCreateRequest(await readJson(request, bodyLimit));
    facts.orderId = input.orderId;
    const caller = await identify(request, terminal, 'create', input.orderId, input);
    facts.terminalId = caller?.terminalId ?? input.terminalId;
    if (caller) checkCreate(caller, input);
    const existing = await store.get(input.orderId);
    if (existing && caller) checkAccess(caller, existing);
    const release = existing ? () => undefined : await admit(caller?.terminalId);
    try {
      const owned = caller ? { ...input, owner: ownerOf(caller) } : input;
      // A new order is looked up again once admitted: another request may have created it meanwhile.
      const { record, created } = await orders.create(owned, existing);
      // Another terminal may have created the same order id meanwhile.
      if (!created && caller) checkAccess(caller, record);
      return json(created ? 201 : 200, view(record));
    } finally {
      release();
    }
  }

  async function route(request: Request, path: string, facts: RequestFacts): Promise<Response> {
    const [resource, rawId, action, ...rest] = path.split('/').slice(1);
    if (request.method === 'OPTIONS') {
      facts.route = 'OPTIONS';
      return preflight(request, corsOrigins);
    }
    if (resource === 'ipn' && rawId === undefined) {
      facts.route = 'POST /ipn';
      if (request.method !== 'POST') throw methodNotAllowed('POST');
      return ipn(request);
    }
    if (resource !== 'qr' || rest.length > 0 || (action !== undefined && action !== 'cancel')) {
      throw new HttpError(404, 'NOT_FOUND', 'There is nothing here.');
    }
    const allowed = rawId === undefined || action === 'cancel' ? 'POST' : 'GET';
    if (request.method !== allowed) throw methodNotAllowed(allowed);
    facts.route =
      rawId === undefined ? 'POST /qr' : action === undefined ? 'GET /qr/:orderId' : 'POST /qr/:orderId/cancel';
    // Before anything else is read or answered: a stranger learns nothing, not even a 400.
    const terminal = authenticate?.(request);
    facts.terminalId = terminal?.terminalId;
    if (rawId === undefined) return create(request, terminal, facts);
    const orderId = parseOrderId(decodeSegment(rawId));
    facts.orderId = orderId;
    if (action === undefined) {
      const wait = parseWait(facts.url.searchParams.get('wait'));
      if (wait > 0) facts.wait = wait;
      const caller = await identify(request, terminal, 'status', orderId);
      const record = await accessible(orderId, caller);
      facts.terminalId = caller?.terminalId ?? terminalOf(record);
      // Only a held poll needs to hear that its client went away.
      const signal = wait > 0 ? request.signal : undefined;
      return json(200, view(await orders.read(orderId, wait, signal, record)));
    }
    const cancel = parseCancelRequest(await readJson(request, bodyLimit));
    const caller = await identify(request, terminal, 'cancel', orderId, cancel);
    if (caller) checkCancel(caller, cancel);
    const record = await accessible(orderId, caller);
    facts.terminalId = caller?.terminalId ?? terminalOf(record);
    return json(200, view(await orders.cancel(orderId, cancel, record)));
  }

  /**
   * What the caller is told is the contract's code and sentence; what happened goes to the log
   * (Amazon's own words among it) and to `onError`: every answer of 500 or more, every Amazon
   * Pay failure, every rejected notification.
   */
  function reportFailure(thrown: unknown, error: HttpError, request: Request, facts: RequestFacts) {
    const rejectedNotification = facts.route === 'POST /ipn' && error.status >= 400;
    if (error.status < 500 && !(thrown instanceof AmazonPayError) && !rejectedNotification) return;
    const context = `${request.method} ${facts.url.pathname}`;
    report(thrown, context, { requestId: facts.requestId, orderId: facts.orderId, terminalId: facts.terminalId });
  }

  async function answer(request: Request, facts: RequestFacts): Promise<Response> {
    const path = facts.url.pathname;
    if (path !== basePath && !path.startsWith(`${basePath}/`)) {
      return json(404, { code: 'NOT_FOUND', message: 'There is nothing here.' });
    }
    const cors = corsHeaders(request, corsOrigins);
    try {
      const response = await route(request, path.slice(basePath.length), facts);
      for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);
      return response;
    } catch (thrown) {
      const error = toHttpError(thrown);
      reportFailure(thrown, error, request, facts);
      return json(error.status, error.toBody(), { ...error.headers, ...cors });
    }
  }

  return {
    metrics,
    async fetch(request) {
      const started = performance.now();
      const facts = newFacts(request);
      metrics.inFlight(1);
      const response = await answer(request, facts).finally(() => metrics.inFlight(-1));
      response.headers.set(REQUEST_ID_HEADER, facts.requestId);
      logRequest(logger, metrics, request, facts, response.status, Math.round((performance.now() - started) * 10) / 10);
      return forCaller(request, response);
    },
    drain() {
      metrics.draining(true);
      draining.abort();
      // No job is claimed from now on; `close()` waits for the ones running. What is left is in
      // the store, due, for another instance or the next start.
      void worker.close();
    },
    async readiness() {
      let cancelTimer = () => {};
      const storeCheck = await Promise.race([
        store.countPending().then(
          () => {
            if (storeDown) logger.info('ready again: the order store answers the readiness check');
            storeDown = false;
            return 'ok';
          },
          (error: unknown) => {
            // The probe is anonymous: the store's own words (its address, say) go to the log only,
            // once per outage rather than once per probe.
            if (!storeDown)
              logger.warn({ err: error }, 'not ready: the order store did not answer the readiness check');
            storeDown = true;
            return 'unreachable';
          },
        ),
        new Promise<string>((resolve) => {
          cancelTimer = timers.after(READINESS_TIMEOUT_MS, () =>
            resolve(`no answer within ${READINESS_TIMEOUT_MS} ms`),
          );
        }),
      ]);
      cancelTimer();
      const checks = { store: storeCheck, draining: draining.signal.aborted };
      return { ready: checks.store === 'ok' && !checks.draining, checks };
    },
    async close() {
      await worker.close();
      timers.clear();
    },
  };
}
