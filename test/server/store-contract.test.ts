import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '../../src/server/backend/store.js';
import { openSqliteStore } from '../../src/server/store/sqlite-store.js';
import { createRedisStore } from '../../src/server/store/redis-store.js';
import { redisForTest, redisSkipReason } from './support/redis.js';
import { CONTRACT_NOW, orderStoreContract } from './support/store-contract.js';

const now = () => CONTRACT_NOW;

orderStoreContract('memory', async () => {
  const store = createMemoryStore({ now });
  return { stores: [store, store], close: async () => undefined };
});

orderStoreContract('redis, two instances', async () => {
  const skip = await redisSkipReason();
  if (skip) return skip;
  const redis = redisForTest();
  const [a, b] = await Promise.all([redis.connect(), redis.connect()]);
  return { stores: [createRedisStore(a, { now }), createRedisStore(b, { now })], close: redis.close };
});

orderStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dqr-contract-'));
  const store = openSqliteStore({ path: join(dir, 'orders.sqlite'), now });
  return {
    stores: [store, store],
    close: async () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
