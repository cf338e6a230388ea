/**
 * The whole server as `npm run backend` runs it in sandbox mode, listening on loopback: the
 * backend signs real HTTP calls to the sandbox, the sandbox's notifications come back over HTTP,
 * and one `TestClock` is the time of both (and drives the backend's timers).
 */
import { createApp } from '../../../src/server/app.js';
import { createMemoryStore } from '../../../src/server/backend/index.js';
import { loadConfig } from '../../../src/server/config/index.js';
import { createLogger } from '../../../src/server/log.js';
import { serve, type ServeOptions } from '../../../src/server/node-adapter.js';
import type { SandboxStrictness } from '../../../src/server/sandbox/index.js';
import { TestClock } from './test-clock.js';

/** An answer's status and parsed JSON body. */
export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A valid `POST /qr` body for `orderId`. */
export function qrTerms(orderId: string, terms: Record<string, unknown> = {}) {
  return { orderId, amount: '249.00', currency: 'INR', expiresIn: 120, ...terms };
}

/**
 * Starts the app with `env` over the defaults, its sandbox as strict as `sandboxStrictness`; close
 * it after. Each Amazon Pay call gets 10 s: the sandbox runs in this process, so on a loaded
 * machine it, not Amazon, decides how long a call takes (a cold first create can take longer than
 * a few hundred milliseconds). A test of the timeout itself sets a short one.
 */
export async function startHttpApp(env: Record<string, string> = {}, sandboxStrictness?: SandboxStrictness) {
  const clock = new TestClock(Date.now());
  let origin = '';
  const notifications: string[] = [];
  const logged: Record<string, unknown>[] = [];
  const errors: unknown[] = [];
  const store = createMemoryStore({ now: clock.now });
  const config = loadConfig({ DQR_STORE: 'memory', AMAZON_PAY_TIMEOUT_MS: '10000', ...env });
  const app = await createApp(config, {
    origin: () => origin,
    now: clock.now,
    sandboxStrictness,
    backend: {
      store,
      onError: (error) => errors.push(error),
      timers: clock.timers,
      logger: createLogger({
        level: config.logLevel,
        destination: { write: (line: string) => logged.push(JSON.parse(line)) },
      }),
    },
  });
  let settled = 0;
  const settling: { count: number; resolve: () => void }[] = [];
  const server = await serve(async (request) => {
    if (new URL(request.url).pathname === '/api/dqr/ipn') notifications.push(await request.clone().text());
    try {
      return await app.fetch(request);
    } finally {
      settled += 1;
      for (const waiter of settling.filter((entry) => entry.count <= settled)) waiter.resolve();
    }
  }, config.timeouts satisfies ServeOptions);
  origin = server.url;
  const sandbox = app.sandbox!;

  /** A contract call; a string body is sent as is, anything else as JSON. */
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${origin}/api/dqr${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} } as Answer;
  }

  return {
    app,
    sandbox,
    store,
    clock,
    origin,
    call,
    /** Every SNS envelope that reached the backend's IPN endpoint, as sent. */
    notifications,
    /** The server's log lines, parsed. */
    logged,
    /** What the backend reported through `onError`. */
    errors,
    /** How many requests the app has answered (or failed to) so far. */
    settled: () => settled,
    /** Resolves once the app has answered `count` requests in all. */
    untilSettled: (count: number) =>
      new Promise<void>((resolve) => (count <= settled ? resolve() : settling.push({ count, resolve }))),
    /** Amazon Pay calls the sandbox has answered so far, all kinds together. */
    upstreamCalls: () => Object.values(sandbox.calls).reduce((sum, count) => sum + count, 0),
    async close() {
      await app.close();
      await server.close();
    },
  };
}

/** The app `startHttpApp` starts. */
export type HttpApp = Awaited<ReturnType<typeof startHttpApp>>;
