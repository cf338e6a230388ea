import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createApp } from '../../src/server/app.js';
import { ConfigError, loadConfig, type Env } from '../../src/server/config/index.js';
import { serve } from '../../src/server/node-adapter.js';
import { StoreSetupError } from '../../src/server/store/setup-error.js';
import { PRODUCTION_CREDENTIALS } from './support/production-env.js';
import { freePort, ownRedisServer, redisSkipReason, REDIS_URL } from './support/redis.js';
import { tokensFile } from './support/terminal-tokens.js';

/**
 * Production refuses to start on a store that would forget orders, unless told so in plain words;
 * a store's driver is loaded only when that store is chosen; a frozen Redis costs a request a 503
 * within the documented time, never a hang.
 */
const skip = await redisSkipReason();
const PRODUCTION: Env = {
  ...PRODUCTION_CREDENTIALS,
  DQR_TERMINAL_TOKENS_FILE: tokensFile([{ terminalId: 'T1', storeId: 'STORE' }]).file,
  LOG_LEVEL: 'silent',
};
const servers: { stop(): Promise<void> }[] = [];
after(() => Promise.all(servers.map((server) => server.stop())));

/** `createApp` in production mode on a Redis; resolves with what it says its store keeps. */
async function productionOnRedis(url: string, env: Env = {}) {
  const config = loadConfig({
    ...PRODUCTION,
    DQR_STORE: 'redis',
    REDIS_URL: url,
    DQR_REDIS_PREFIX: `dqr-test-${randomUUID()}:`,
    ...env,
  });
  const app = await createApp(config, { origin: 'http://127.0.0.1:1' });
  await app.close();
  return app.durability;
}

describe('stores that forget orders, in production mode', () => {
  it('refuses the memory store unless DQR_ALLOW_ORDER_LOSS=true says to accept losing orders', () => {
    assert.throws(
      () => loadConfig({ ...PRODUCTION, DQR_STORE: 'memory' }),
      (error: ConfigError) =>
        error instanceof ConfigError &&
        error.problems.some((problem) => /DQR_STORE=memory loses every order.*DQR_ALLOW_ORDER_LOSS=true/.test(problem)),
    );
    assert.equal(loadConfig({ ...PRODUCTION, DQR_STORE: 'memory', DQR_ALLOW_ORDER_LOSS: 'true' }).store.kind, 'memory');
    assert.equal(loadConfig({ DQR_STORE: 'memory' }).store.kind, 'memory', 'sandbox mode allows it');
  });

  it('refuses a Redis without AOF persistence unless allowed, and says what it keeps', { skip }, async () => {
    await assert.rejects(
      productionOnRedis(REDIS_URL),
      (error: Error) =>
        error instanceof StoreSetupError &&
        /has no AOF persistence \(appendonly no\).*turn on appendonly, or set DQR_ALLOW_ORDER_LOSS=true/.test(
          error.message,
        ),
    );
    const allowed = await productionOnRedis(REDIS_URL, { DQR_ALLOW_ORDER_LOSS: 'true' });
    assert.equal(allowed.keepsOrders, false);
    assert.match(allowed.description, /without AOF persistence: a Redis restart loses every order/);
  });

  it('starts on a Redis with AOF, saying orders survive restarts', { skip }, async () => {
    const server = await ownRedisServer({ aof: true });
    servers.push(server);
    const durability = await productionOnRedis(server.url);
    assert.deepEqual(durability.keepsOrders, true);
    assert.match(durability.description, /with AOF persistence: they survive restarts/);
  });

  it('refuses a Redis that hides CONFIG unless told it persists, and one it cannot reach', { skip }, async () => {
    const server = await ownRedisServer({ args: ['--rename-command', 'CONFIG', ''] });
    servers.push(server);
    await assert.rejects(productionOnRedis(server.url), /refuses CONFIG GET.*set DQR_REDIS_ASSUME_PERSISTENT=true/);
    const assumed = await productionOnRedis(server.url, { DQR_REDIS_ASSUME_PERSISTENT: 'true' });
    assert.match(assumed.description, /assumed persistent \(DQR_REDIS_ASSUME_PERSISTENT=true; not checked\)/);
    await assert.rejects(
      productionOnRedis(`redis://127.0.0.1:${await freePort()}`),
      /cannot be reached to check its persistence/,
    );
  });
});

describe('store drivers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dqr-driver-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  // A module hook that makes better-sqlite3 absent, as in an install without it.
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `export async function resolve(specifier, context, next) {
      if (specifier === 'better-sqlite3') {
        const error = new Error(\`Cannot find package 'better-sqlite3' imported from \${context.parentURL}\`);
        error.code = 'ERR_MODULE_NOT_FOUND';
        throw error;
      }
      return next(specifier, context);
    }`,
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`,
  );

  /** `npm run backend` without better-sqlite3 installed; resolves once it exits or says it listens. */
  function backendWithoutSqlite(env: Env) {
    const child = spawn(
      process.execPath,
      [
        '--import',
        import.meta.resolve('tsx'),
        '--import',
        pathToFileURL(join(dir, 'register.mjs')).href,
        fileURLToPath(new URL('../../src/server/main.ts', import.meta.url)),
      ],
      { cwd: dir, env: { PATH: process.env.PATH, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      child.stdout.on('data', () => {
        if (stdout.includes('IPN endpoint')) child.kill('SIGKILL');
      });
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('says in one line what to install when the SQLite store is chosen without better-sqlite3', async () => {
    const result = await backendWithoutSqlite({});
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      'DQR_STORE=sqlite needs the better-sqlite3 package, which is not installed: npm install better-sqlite3@12\n',
    );
  });

  it('serves on the memory store without better-sqlite3, warning that a restart loses orders', async () => {
    const result = await backendWithoutSqlite({ DQR_STORE: 'memory' });
    assert.equal(result.stderr, '');
    const store = result.stdout.split('\n').find((line) => line.includes('"store":"memory"'));
    assert.ok(store, result.stdout);
    const line = JSON.parse(store) as { level: number; msg: string };
    assert.equal(line.level, 40, 'a warning');
    assert.match(line.msg, /this process's memory: a restart loses every order, and with them customers’ money/);
  });
});

describe('a frozen Redis', { skip, timeout: 30_000 }, () => {
  it('answers 503 within the command timeout while Redis is frozen, and serves again once it thaws', async () => {
    const redis = await ownRedisServer();
    servers.push(redis);
    let origin = '';
    const app = await createApp(
      loadConfig({ DQR_STORE: 'redis', REDIS_URL: redis.url, LOG_LEVEL: 'silent', DQR_STATUS_SCHEDULE: '60' }),
      { origin: () => origin, backend: { onError: () => undefined } },
    );
    const server = await serve(app.fetch);
    origin = server.url;
    const get = async (path: string) => {
      const started = performance.now();
      const response = await fetch(`${origin}/api/dqr${path}`, { signal: AbortSignal.timeout(20_000) });
      return {
        status: response.status,
        body: (await response.json()) as { code?: string },
        ms: performance.now() - started,
      };
    };
    try {
      const created = await fetch(`${origin}/api/dqr/qr`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId: 'FROZEN-1', amount: '10.00', currency: 'INR', expiresIn: 120 }),
      });
      assert.equal(created.status, 201);
      redis.freeze();
      const frozen = await get('/qr/FROZEN-1');
      assert.equal(frozen.status, 503);
      assert.equal(frozen.body.code, 'UPSTREAM_UNAVAILABLE');
      // One store call's timeout (2 s), not forever; generous for a loaded machine.
      assert.ok(frozen.ms < 6_000, `answered after ${Math.round(frozen.ms)} ms`);
      redis.thaw();
      assert.equal((await get('/qr/FROZEN-1')).status, 200);
    } finally {
      redis.thaw();
      await app.close();
      await server.close();
    }
  });
});
