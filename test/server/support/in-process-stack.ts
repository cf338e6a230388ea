/**
 * The backend, the sandbox and the signed client wired together in one process with no sockets:
 * the client's fetch is the sandbox's handler, the sandbox's IPN deliveries go through an
 * `IpnChannel` to the backend's handler, and one clock moves them all. Fast enough for thousands
 * of randomized runs. By default one backend instance on the memory store; given several instances
 * sharing a store, contract calls and notifications take turns across them, as behind a load
 * balancer.
 */
import { createAmazonPayClient } from '../../../src/server/amazon-pay/client.js';
import type { AmazonPayClient } from '../../../src/server/amazon-pay/types.js';
import {
  createBackend,
  createMemoryStore,
  type Backend,
  type BackendOptions,
  type OrderStore,
} from '../../../src/server/backend/index.js';
import { createLogger } from '../../../src/server/log.js';
import { createSandbox } from '../../../src/server/sandbox/index.js';
import { TOPIC_ARN } from '../../../src/server/sandbox/notifier.js';
import { createIpnChannel } from './ipn-channel.js';
import { MERCHANT, STORE } from './sandbox-server.js';
import { TestClock } from './test-clock.js';

/** Where the in-process stack pretends to live; nothing listens there. */
export const STACK_ORIGIN = 'http://shop.test';
/** The contract's base URL on the in-process stack. */
export const STACK_API = `${STACK_ORIGIN}/api/dqr`;

/** What one backend instance of the stack runs on besides the shared sandbox and clock. */
export interface StackInstance {
  store: OrderStore;
  /** Wraps the instance's Amazon Pay client, e.g. to share upstream calls between instances. */
  client?: (client: AmazonPayClient) => AmazonPayClient;
}

/** Makes one backend instance's parts; every instance of a stack must share one order store. */
export type InstanceFactory = (now: () => number) => StackInstance | Promise<StackInstance>;

/** How the in-process stack is built. */
export interface InProcessStackOptions {
  /** The backend instances; default one on the memory store. */
  instances?: readonly InstanceFactory[];
  /** The client's per-call timeout: what a hanging Amazon costs a call. Default 50 ms. */
  clientTimeoutMs?: number;
  /** Failures nobody awaits (background checks, refunds). Default: kept in `errors`. */
  onError?: (error: unknown, context: string) => void;
  /** Backend options over the stack's own (job settings, a logger, job events, metrics). */
  backend?: Pick<BackendOptions, 'jobs' | 'logger' | 'onJobEvent' | 'metrics'>;
}

/**
 * Counts the Amazon calls and store operations in flight, so a test can wait until the backend is
 * idle (a shared store's round trips outlast a turn of the event loop).
 */
function inFlight() {
  const running = new Set<Promise<unknown>>();
  const track =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const promise = call(...args);
      running.add(promise);
      void promise.then(
        () => running.delete(promise),
        () => running.delete(promise),
      );
      return promise;
    };
  const client = (inner: AmazonPayClient): AmazonPayClient => ({
    generateQr: track(inner.generateQr),
    getStatus: track(inner.getStatus),
    cancel: track(inner.cancel),
    refund: track(inner.refund),
  });
  const store = (inner: OrderStore): OrderStore => ({
    get: track(inner.get.bind(inner)),
    create: track(inner.create.bind(inner)),
    update: track(inner.update.bind(inner)),
    subscribe: inner.subscribe.bind(inner),
    countPending: track(inner.countPending.bind(inner)),
    due: track(inner.due.bind(inner)),
  });
  return { running, client, store };
}

/** Builds the stack: clock at a fixed instant, sandbox IPN through a controllable channel. */
export async function createInProcessStack(options: InProcessStackOptions = {}) {
  const clock = new TestClock();
  const { now } = clock;
  const errors: { error: unknown; context: string }[] = [];
  const memory: InstanceFactory = (clockNow) => ({ store: createMemoryStore({ now: clockNow }) });
  const factories = options.instances ?? [memory];
  const parts = await Promise.all(factories.map((factory) => factory(now)));
  const backends: Backend[] = [];
  let calls = 0;
  let notifications = 0;
  /** The next instance in turn: contract calls and notifications each go round the instances. */
  const nextBackend = (turn: number) => backends[turn % backends.length];
  const ipn = createIpnChannel((request) => nextBackend(notifications++).fetch(request));
  const sandbox = createSandbox({
    basePath: '/sandbox',
    merchant: { ...MERCHANT, stores: [STORE] },
    ipnUrl: () => `${STACK_API}/ipn`,
    ipnRetryDelayMs: 1,
    fetch: ipn.fetch,
    now,
  });
  const toSandbox = (input: string | URL | Request, init?: RequestInit) => sandbox.fetch(new Request(input, init));
  const tracking = inFlight();
  const { running } = tracking;
  const logger = createLogger({ level: 'silent' });
  const signed = createAmazonPayClient({
    ...MERCHANT,
    ...STORE,
    baseUrl: `${STACK_ORIGIN}/sandbox`,
    timeoutMs: options.clientTimeoutMs ?? 50,
    retries: 0,
    fetch: toSandbox,
    now,
    logger,
  });
  for (const part of parts) {
    backends.push(
      createBackend({
        client: tracking.client(part.client ? part.client(signed) : signed),
        store: tracking.store(part.store),
        statusJitter: 0,
        logger,
        mode: 'sandbox',
        snsTopicArns: [TOPIC_ARN],
        ...options.backend,
        jobs: { retryMinMs: 1_000, retryMaxMs: 15_000, ...options.backend?.jobs },
        trustedIpnOrigins: () => [STACK_ORIGIN],
        onError: options.onError ?? ((error, context) => errors.push({ error, context })),
        now,
        timers: clock.timers,
        fetch: toSandbox,
      }),
    );
  }
  // The sandbox's retry waits and the client's timeouts are unref'd, as a server's should be; the
  // test must stay alive while it waits on them.
  const keepAlive = setInterval(() => undefined, 60_000);

  /** A `fetch` for the contract at `STACK_API`: each request goes to the next instance in turn. */
  const contractFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    nextBackend(calls++).fetch(new Request(input, init));

  /** One contract call; `body` is sent as JSON. */
  async function call(method: string, path: string, body?: unknown, signal?: AbortSignal) {
    const response = await contractFetch(`${STACK_API}${path}`, {
      method,
      signal,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  return {
    sandbox,
    /** The order store every instance shares. */
    store: parts[0].store,
    /** The backend instances, in the order their factories were given. */
    backends,
    ipn,
    errors,
    call,
    fetch: contractFetch,
    now,
    clock,
    /** Moves the shared clock; the backend's timers due on the way fire. */
    advance: (ms: number) => clock.advance(ms),
    /** Waits until no notification is in flight and no Amazon call is running. */
    async idle() {
      for (let quiet = 0; quiet < 2;) {
        await sandbox.settled();
        if (running.size > 0) {
          quiet = 0;
          await Promise.allSettled(running);
        } else {
          quiet += 1;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    async close() {
      clearInterval(keepAlive);
      await Promise.all(backends.map((backend) => backend.close()));
      sandbox.close();
    },
  };
}

/** The stack `createInProcessStack` builds. */
export type InProcessStack = Awaited<ReturnType<typeof createInProcessStack>>;
