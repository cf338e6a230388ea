import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startHttpApp, type HttpApp } from './support/http-app.js';
import { startBackendChild } from './support/backend-child.js';
import { ownRedisServer, redisSkipReason } from './support/redis.js';

async function health(server: HttpApp, path: string, init?: RequestInit) {
  const response = await fetch(`${server.origin}${path}`, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('health endpoints', () => {
  let server: HttpApp;
  before(async () => (server = await startHttpApp()));
  after(() => server.close());

  it('answers /healthz and /readyz outside the base path, without a token, saying nothing of orders', async () => {
    assert.deepEqual(await health(server, '/healthz'), { status: 200, body: { status: 'ok' } });
    assert.deepEqual(await health(server, '/readyz'), {
      status: 200,
      body: { status: 'ready', checks: { store: 'ok', draining: false } },
    });
    assert.deepEqual((await health(server, '/readyz', { method: 'POST' })).status, 405);
    assert.equal((await fetch(`${server.origin}/api/dqr/healthz`)).status, 404);
  });

  it('is not ready once it drains, and still alive', async () => {
    server.app.drain();
    const ready = await health(server, '/readyz');
    assert.equal(ready.status, 503);
    assert.deepEqual(ready.body, { status: 'unready', checks: { store: 'ok', draining: true } });
    assert.equal((await health(server, '/healthz')).status, 200);
  });
});

describe('health with Redis', async () => {
  const skip = await redisSkipReason();

  it('is not ready while Redis is down, alive all the same, and ready again once Redis is back', { skip }, async () => {
    const redis = await ownRedisServer();
    const backend = await startBackendChild({ DQR_STORE: 'redis', REDIS_URL: redis.url });
    const readyz = async () => {
      const response = await fetch(`${backend.origin}/readyz`);
      return {
        status: response.status,
        body: (await response.json()) as { status: string; checks: { store: string } },
      };
    };
    try {
      assert.equal((await readyz()).status, 200);
      await redis.stop();
      // The first command after the kill may still be on its way out when the socket closes.
      let down = await readyz();
      while (down.status === 200) down = await readyz();
      assert.equal(down.status, 503);
      assert.equal(down.body.status, 'unready');
      assert.equal(down.body.checks.store, 'unreachable', "the store's own words stay out of an anonymous answer");
      const logged = await backend.line((line) => String(line.msg).startsWith('not ready'));
      assert.equal(logged.level, 40, 'a warning');
      assert.match(String((logged.err as { message: string }).message), /^The order store \(Redis\)/);
      assert.equal((await fetch(`${backend.origin}/healthz`)).status, 200);
      assert.equal((await readyz()).status, 503, 'still down, probed again');
      await redis.start();
      while ((await readyz()).status !== 200) await new Promise((resolve) => setImmediate(resolve));
      await backend.line((line) => String(line.msg).startsWith('ready again'));
      const warned = backend.lines.filter((line) => String(line.msg).startsWith('not ready'));
      assert.equal(warned.length, 1, 'the outage is logged once, not once per probe');
    } finally {
      backend.signal('SIGTERM');
      await backend.exited;
      await redis.stop();
    }
  });
});
