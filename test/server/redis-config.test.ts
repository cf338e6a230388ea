import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../../src/server/app.js';
import { loadConfig, type ConfigError } from '../../src/server/config/index.js';
import { createLogger } from '../../src/server/log.js';
import { serve } from '../../src/server/node-adapter.js';
import { connectRedis } from '../../src/server/store/redis-connection.js';
import { createRedisStore } from '../../src/server/store/redis-store.js';
import { redisSkipReason, REDIS_URL } from './support/redis.js';

const skip = await redisSkipReason();

describe('choosing the order store', () => {
  it('keeps orders in an SQLite file unless DQR_STORE says memory or redis, which needs a redis URL', () => {
    const kept = { allowOrderLoss: false };
    assert.deepEqual(loadConfig({}).store, { kind: 'sqlite', path: 'amazonpay-dqr.sqlite', ...kept });
    assert.deepEqual(loadConfig({ DQR_SQLITE_PATH: '/var/lib/dqr/orders.sqlite' }).store, {
      kind: 'sqlite',
      path: '/var/lib/dqr/orders.sqlite',
      ...kept,
    });
    assert.deepEqual(loadConfig({ DQR_STORE: 'memory' }).store, { kind: 'memory', ...kept });
    assert.deepEqual(loadConfig({ DQR_STORE: 'redis', REDIS_URL: 'rediss://cache:6380/2' }).store, {
      kind: 'redis',
      url: 'rediss://cache:6380/2',
      prefix: 'dqr:',
      assumePersistent: false,
      ...kept,
    });
    assert.throws(
      () => loadConfig({ DQR_STORE: 'redis' }),
      (error: ConfigError) => error.problems.includes('REDIS_URL is required when DQR_STORE is "redis".'),
    );
    assert.throws(
      () => loadConfig({ DQR_STORE: 'redis', REDIS_URL: 'http://cache:6379' }),
      (error: ConfigError) => error.problems.includes('REDIS_URL must be a redis:// or rediss:// URL.'),
    );
    assert.throws(
      () => loadConfig({ DQR_STORE: 'postgres' }),
      (error: ConfigError) => error.problems.includes('DQR_STORE must be "sqlite" or "memory" or "redis".'),
    );
  });

  it('serves a sandbox order end to end from Redis when DQR_STORE=redis', { skip }, async () => {
    let origin = '';
    const app = await createApp(loadConfig({ DQR_STORE: 'redis', REDIS_URL, DQR_STATUS_SCHEDULE: '60' }), {
      origin: () => origin,
      backend: { logger: createLogger({ level: 'silent' }) },
    });
    const server = await serve(app.fetch);
    origin = server.url;
    try {
      const orderId = `CFG-${Date.now()}`;
      const created = await fetch(`${origin}/api/dqr/qr`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId, amount: '10.00', currency: 'INR', expiresIn: 120 }),
      });
      assert.equal(created.status, 201);
      const waiting = fetch(`${origin}/api/dqr/qr/${orderId}?wait=10`);
      app.sandbox?.pay(orderId);
      assert.equal(((await (await waiting).json()) as { status: string }).status, 'paid');
      const redis = connectRedis({ url: REDIS_URL });
      await redis.ready();
      assert.equal((await createRedisStore(redis).get(orderId))?.status, 'paid', 'the order lives in Redis');
      await redis.run((client) => client.del(`dqr:order:${orderId}`));
      await redis.close();
    } finally {
      await app.close();
      await server.close();
    }
  });
});
