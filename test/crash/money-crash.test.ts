import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StackStore } from '../server/support/process/production-stack.js';
import { ownRedisServer } from '../server/support/redis.js';
import { crashPlan, KILL_POINTS, type KillPoint } from './support/crash-plan.js';
import { crashRun } from './support/crash-run.js';

/**
 * The money survives the process: seeded runs of a shop's day against a production-mode backend
 * in its own process (on SQLite, and on Redis with AOF), SIGKILLed at every point where money is
 * in flight and started again, reconciled after each run with the sandbox's ledger. A fixed seed
 * keeps CI reproducible; MONEY_CRASH_SEED and MONEY_CRASH_RUNS explore more, MONEY_CRASH_RUN with
 * MONEY_CRASH_STORE replays one run.
 */
const seed = Number(process.env.MONEY_CRASH_SEED ?? 20261201);
const runs = Number(process.env.MONEY_CRASH_RUNS ?? 100);
const only = process.env.MONEY_CRASH_RUN === undefined ? undefined : Number(process.env.MONEY_CRASH_RUN);
const onlyStore = process.env.MONEY_CRASH_STORE;
/** Runs at once: most of a run is waiting (a QR lives at least 60 s), so many fit on two cores. */
const concurrency = Number(process.env.MONEY_CRASH_CONCURRENCY ?? 16);
/** Between the first runs' starts, so their backends do not all start at the same moment. */
const RAMP_MS = 400;

const redis = await ownRedisServer({ aof: true });
after(() => redis.stop());
const STORES: Record<string, StackStore> = { sqlite: { kind: 'sqlite' }, redis: { kind: 'redis', url: redis.url } };

it(
  `keeps every rupee through SIGKILLs and restarts over ${only === undefined ? runs : 1} seeded runs per store (MONEY_CRASH_SEED=${seed})`,
  { timeout: 60 * 60_000 },
  async () => {
    const stores = Object.keys(STORES).filter((name) => onlyStore === undefined || name === onlyStore);
    const queue = stores.flatMap((store) =>
      (only === undefined ? Array.from({ length: runs }, (_, run) => run) : [only]).map((run) => ({ store, run })),
    );
    const reached = new Map(stores.map((store) => [store, new Set<KillPoint>()]));
    const failures: Error[] = [];
    let longest = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, lane) => {
        await new Promise((resolve) => setTimeout(resolve, lane * RAMP_MS));
        for (let next = queue.shift(); next && failures.length === 0; next = queue.shift()) {
          const { store, run } = next;
          try {
            const result = await crashRun(
              crashPlan(seed, run),
              STORES[store],
              `${store} (replay: MONEY_CRASH_SEED=${seed} MONEY_CRASH_RUN=${run} MONEY_CRASH_STORE=${store})`,
            );
            for (const point of result.killed) reached.get(store)!.add(point);
            if (only !== undefined) console.log(`run ${run} on ${store}:\n  ${result.log.join('\n  ')}`);
            longest = Math.max(longest, result.ms);
          } catch (error) {
            failures.push(error as Error);
          }
        }
      }),
    );
    if (failures.length > 0) throw failures[0];
    console.log(
      `crash runs: ${stores.length} × ${only === undefined ? runs : 1} in ${Math.round((Date.now() - started) / 1000)} s, the longest ${Math.round(longest / 1000)} s`,
    );
    if (only === undefined) {
      for (const [store, points] of reached) {
        assert.deepEqual(
          KILL_POINTS.filter((point) => !points.has(point)),
          [],
          `kill points never reached on ${store}`,
        );
      }
    }
  },
);
