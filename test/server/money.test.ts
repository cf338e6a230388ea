import { it } from 'node:test';
import { createRedisStore } from '../../src/server/store/redis-store.js';
import { shareUpstreamCalls } from '../../src/server/store/redis-upstream-lock.js';
import type { InstanceFactory } from './support/in-process-stack.js';
import { runMoneyRuns } from './support/money-runs.js';
import { redisForTest, redisSkipReason } from './support/redis.js';

/** A fixed seed keeps CI reproducible; set MONEY_SEED (and MONEY_RUNS) to explore other runs. */
const seed = Number(process.env.MONEY_SEED ?? 20261129);
const runs = Number(process.env.MONEY_RUNS ?? 2000);
const only = process.env.MONEY_RUN === undefined ? undefined : Number(process.env.MONEY_RUN);
/** Fewer runs on Redis: each store operation is a round trip to it. */
const redisRuns = Number(process.env.MONEY_RUNS ?? 400);

it(`keeps money, ledger and the element in agreement over ${runs} randomized runs (MONEY_SEED=${seed})`, async () => {
  await runMoneyRuns({ runs, seed, only });
});

it(
  `keeps them in agreement over ${redisRuns} runs on two instances sharing Redis (MONEY_SEED=${seed})`,
  { skip: await redisSkipReason() },
  async () => {
    const redis = redisForTest();
    /** One instance: its own connection to the shared Redis, and the shared upstream lock. */
    const instance: InstanceFactory = async (now) => {
      const connection = await redis.connect();
      return {
        store: createRedisStore(connection, { now }),
        client: (client) => shareUpstreamCalls(client, connection),
      };
    };
    try {
      await runMoneyRuns({ runs: redisRuns, seed, only, instances: [instance, instance] });
    } finally {
      await redis.close();
    }
  },
);
