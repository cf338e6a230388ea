import { it } from 'node:test';
import { runMoneyRuns } from './support/money-runs.js';

/** A fixed seed keeps CI reproducible; set MONEY_SEED (and MONEY_RUNS) to explore other runs. */
const seed = Number(process.env.MONEY_SEED ?? 20261129);
const runs = Number(process.env.MONEY_RUNS ?? 2000);
const only = process.env.MONEY_RUN === undefined ? undefined : Number(process.env.MONEY_RUN);

it(`keeps money, ledger and the element in agreement over ${runs} randomized runs (MONEY_SEED=${seed})`, async () => {
  await runMoneyRuns({ runs, seed, only });
});
