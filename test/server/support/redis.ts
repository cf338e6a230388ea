import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, Socket } from 'node:net';
import {
  connectRedis,
  type RedisConnection,
  type RedisConnectionOptions,
} from '../../../src/server/store/redis-connection.js';

/** The Redis the tests use: `REDIS_URL`, or the default port on loopback. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function answersPing(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    // Generous: a busy machine (parallel test files, a browser) can be slow to connect.
    socket.setTimeout(5_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.connect(Number(port || 6379), hostname, () => socket.write('PING\r\n'));
  });
}

/**
 * Why the Redis tests cannot run here, or `undefined` when Redis answers. Under CI (`CI=true`) a
 * missing Redis is a failure, not a skip: the tests must have run.
 */
export async function redisSkipReason(): Promise<string | undefined> {
  if (await answersPing(REDIS_URL)) return undefined;
  const reason = `no Redis at ${REDIS_URL}; start one with: redis-server --port 6379 --save ''`;
  if (process.env.CI === 'true') throw new Error(`Redis tests cannot run under CI: ${reason}`);
  return reason;
}

/**
 * Connections for one test, all under a fresh key prefix so tests running at the same time never
 * see each other's orders; `close()` closes them and deletes the keys they made.
 */
export function redisForTest() {
  const prefix = `dqr-test-${randomUUID()}:`;
  const opened: RedisConnection[] = [];
  return {
    prefix,
    /** One more instance's connection to the shared Redis, ready to publish and receive. */
    async connect(options: Partial<RedisConnectionOptions> = {}) {
      const redis = connectRedis({ url: REDIS_URL, prefix, onError: () => undefined, ...options });
      opened.push(redis);
      await redis.ready();
      return redis;
    },
    async close() {
      const [first] = opened;
      if (first) {
        const keys = await first.run((client) => client.keys(`${prefix}*`));
        if (keys.length > 0) await first.run((client) => client.del(keys));
      }
      await Promise.all(opened.map((redis) => redis.close()));
    },
  };
}

/** A loopback port nothing listens on (a moment ago). */
export async function freePort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A Redis server of the test's own on a spare port, which the test may stop, freeze and start
 * again; with `aof`, it keeps its data in an append-only file in a folder of its own; `args` are
 * further `redis-server` options.
 */
export async function ownRedisServer({ aof = false, args = [] as string[] } = {}) {
  const port = await freePort();
  let child: ReturnType<typeof spawn> | undefined;
  const dir = aof ? mkdtempSync(join(tmpdir(), 'dqr-redis-')) : undefined;

  async function start() {
    const persistence = dir ? ['--appendonly', 'yes', '--dir', dir] : ['--appendonly', 'no'];
    const started = spawn('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      ...persistence,
      ...args,
    ]);
    child = started;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      started.once('error', reject);
      started.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
      started.stdout?.on('data', (data: Buffer) => {
        output += data.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
    });
  }

  async function stop() {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  }

  /** SIGSTOP: the server keeps its connections open and answers nothing until `thaw`. */
  function freeze() {
    child?.kill('SIGSTOP');
  }
  function thaw() {
    child?.kill('SIGCONT');
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    freeze,
    thaw,
    async stop() {
      thaw();
      await stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
    /** Kills it at once (its AOF keeps what was written); `start` brings it back on the same port. */
    kill: stop,
  };
}
