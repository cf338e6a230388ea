/**
 * A production-mode backend in its own process against the HTTPS sandbox in the test's process:
 * its store (an SQLite file, or a prefix on a Redis with AOF), its schedules scaled down so minutes
 * of obligations take seconds, a till that speaks the contract over HTTP (and waits out the
 * backend's downtime), and the records the store holds, read once the backend is stopped.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { OrderView } from '../../../../src/contract/types.js';
import type { OrderRecord } from '../../../../src/server/backend/store.js';
import { TOPIC_ARN } from '../../../../src/server/sandbox/notifier.js';
import { connectRedis } from '../../../../src/server/store/redis-connection.js';
import { MERCHANT, STORE } from '../sandbox-server.js';
import { tokensFile } from '../terminal-tokens.js';
import { backendProcess } from './backend-process.js';
import { hookedSandbox, sandboxCertificate } from './hooked-sandbox.js';

/** Where the backend keeps its orders. */
export type StackStore = { kind: 'sqlite' } | { kind: 'redis'; url: string };

/**
 * The scaled schedules. Amazon's timeout is 2 s (a loaded machine answers slowly), so a lease of
 * 7 s outlasts three attempts.
 */
export const SCALED_ENV = {
  AMAZON_PAY_TIMEOUT_MS: '2000',
  DQR_STATUS_SCHEDULE: '0.5',
  DQR_FOLLOW_UP_SCHEDULE: '1,2,4',
  DQR_JOB_RETRY_MIN_MS: '100',
  DQR_JOB_RETRY_MAX_MS: '800',
  DQR_JOB_LEASE_MS: '7000',
  DQR_JOB_SWEEP_MS: '250',
  DQR_REFUND_STUCK_MS: '1500',
};

/** Seconds after an order ended by which its last follow-up check is due (`DQR_FOLLOW_UP_SCHEDULE`). */
export const LAST_FOLLOW_UP_MS = 4_000;

/** An answer's status and JSON body. */
export interface Answer {
  status: number;
  body: OrderView & { code?: string; message?: string };
}

/** Options of `productionStack`. */
export interface ProductionStackOptions {
  store: StackStore;
  /** Settings over the scaled defaults. */
  env?: Record<string, string>;
}

/** Starts the sandbox and describes the backend; `backend.start()` starts the child. */
export async function productionStack(options: ProductionStackOptions) {
  // The backend's URL is known once it listens; notifications wait for it.
  const sandbox = await hookedSandbox({ ipnUrl: () => (backend.url ? `${backend.url}/api/dqr/ipn` : undefined) });
  const dir = mkdtempSync(join(tmpdir(), 'dqr-backend-'));
  const sqlitePath = join(dir, 'orders.sqlite');
  const prefix = `dqr-test-${randomUUID()}:`;
  const storeEnv: Record<string, string> =
    options.store.kind === 'sqlite'
      ? { DQR_STORE: 'sqlite', DQR_SQLITE_PATH: sqlitePath }
      : { DQR_STORE: 'redis', REDIS_URL: options.store.url, DQR_REDIS_PREFIX: prefix };
  // The shop's one till, allowed to cancel without a refund as the tests' cashiers sometimes do.
  const terminals = tokensFile([
    { terminalId: 'TILL-1', storeId: STORE.storeId, permissions: ['cancel-without-refund'] },
  ]);
  const backend = backendProcess({
    AMAZON_PAY_MODE: 'production',
    AMAZON_PAY_MERCHANT_ID: MERCHANT.merchantId,
    AMAZON_PAY_ACCESS_KEY_ID: MERCHANT.accessKeyId,
    AMAZON_PAY_SECRET_KEY: MERCHANT.secretKey,
    AMAZON_PAY_STORE_ID: STORE.storeId,
    AMAZON_PAY_BASE_URL: sandbox.baseUrl,
    NODE_EXTRA_CA_CERTS: sandboxCertificate().certFile,
    DQR_TEST_SNS_ORIGIN: sandbox.origin,
    AMAZON_PAY_SNS_TOPIC_ARNS: TOPIC_ARN,
    DQR_TERMINAL_TOKENS_FILE: terminals.file,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...SCALED_ENV,
    ...storeEnv,
    ...options.env,
  });

  /**
   * A contract call. While the backend is down (refused connections) or answers 5xx, it tries
   * again every 100 ms until `retryForMs` has passed, as a till's element would.
   */
  async function call(method: string, path: string, body?: unknown, retryForMs = 0): Promise<Answer> {
    const until = Date.now() + retryForMs;
    for (;;) {
      let answer: Answer | undefined;
      try {
        const response = await fetch(`${backend.url}/api/dqr${path}`, {
          method,
          headers: {
            ...terminals.as('TILL-1'),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(40_000),
        });
        answer = { status: response.status, body: (await response.json()) as Answer['body'] };
      } catch {
        answer = undefined;
      }
      if (answer && answer.status < 500) return answer;
      if (Date.now() >= until) return answer ?? { status: 0, body: { code: 'UNREACHABLE' } as Answer['body'] };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Every record in the store, once the backend is stopped (SQLite allows one process at a time). */
  async function records(): Promise<OrderRecord[]> {
    if (options.store.kind === 'sqlite') {
      const db = new Database(sqlitePath, { timeout: 0 });
      try {
        return db
          .prepare<[], { record: string }>('SELECT record FROM orders')
          .all()
          .map((row) => JSON.parse(row.record) as OrderRecord);
      } finally {
        db.close();
      }
    }
    const redis = connectRedis({ url: options.store.url, prefix, onError: () => undefined });
    try {
      await redis.ready();
      const keys = await redis.run((client) => client.keys(`${prefix}order:*`));
      const values = await Promise.all(keys.map((key) => redis.run((client) => client.hGet(key, 'record'))));
      return values.flatMap((value) => (value == null ? [] : [JSON.parse(value) as OrderRecord]));
    } finally {
      await redis.close();
    }
  }

  return {
    sandbox,
    backend,
    call,
    records,
    async close() {
      await backend.kill();
      await sandbox.close();
      if (options.store.kind === 'redis') {
        const redis = connectRedis({ url: options.store.url, prefix, onError: () => undefined });
        await redis.ready();
        const keys = await redis.run((client) => client.keys(`${prefix}*`));
        if (keys.length > 0) await redis.run((client) => client.del(keys));
        await redis.close();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The stack `productionStack` starts. */
export type ProductionStack = Awaited<ReturnType<typeof productionStack>>;
