/**
 * `npm run bench:load`: 1,000 terminals, each holding a long poll, while their QRs are created and
 * paid, against the app `npm run backend` runs (sandbox mode) on loopback. Prints throughput,
 * latency percentiles, errors and memory, writes `.bench/load.json`, and exits non-zero on any
 * error or when it runs past its time bound.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config/index.js';
import { serve } from '../src/server/node-adapter.js';

const TERMINALS = Number(process.env.BENCH_TERMINALS ?? 1000);
const CONCURRENCY = 100;
const TIME_LIMIT_MS = 120_000;

interface Phase {
  requests: number;
  errors: number;
  ms: number;
  latencies: number[];
}

function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0;
}

function memory() {
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rssMb: rss / 2 ** 20, heapMb: heapUsed / 2 ** 20 };
}

/** Runs `task` for every index with at most `limit` at a time. */
async function pool(count: number, limit: number, task: (index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

const watchdog = setTimeout(() => {
  console.error(`bench:load ran past ${TIME_LIMIT_MS / 1000} s`);
  process.exit(2);
}, TIME_LIMIT_MS);

let origin = '';
let held = 0;
// A thousand terminals with a QR each, and more with BENCH_TERMINALS: past the default cap in all.
const app = await createApp(
  loadConfig({ DQR_STORE: 'memory', ...process.env, AMAZON_PAY_MODE: 'sandbox', DQR_MAX_PENDING_ORDERS: '1000000' }),
  {
    origin: () => origin,
    backend: { onError: (error, context) => console.error(context, error) },
  },
);
const server = await serve(async (request) => {
  const waiting = request.method === 'GET' && new URL(request.url).searchParams.has('wait');
  if (waiting) held += 1;
  try {
    return await app.fetch(request);
  } finally {
    if (waiting) held -= 1;
  }
});
origin = server.url;
const api = `${origin}/api/dqr`;
const ids = Array.from({ length: TERMINALS }, (_, index) => `LOAD-${process.pid}-${index}`);
const phases: Record<string, Phase> = {};

async function phase(name: string, run: (record: (ms: number, ok: boolean) => void) => Promise<void>) {
  const result: Phase = { requests: 0, errors: 0, ms: 0, latencies: [] };
  const started = performance.now();
  await run((ms, ok) => {
    result.requests += 1;
    result.latencies.push(ms);
    if (!ok) result.errors += 1;
  });
  result.ms = performance.now() - started;
  phases[name] = result;
}

const before = memory();
await phase('create QR', (record) =>
  pool(TERMINALS, CONCURRENCY, async (index) => {
    const started = performance.now();
    const response = await fetch(`${api}/qr`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: ids[index], amount: '249.00', currency: 'INR', expiresIn: 300 }),
    }).catch(() => undefined);
    await response?.arrayBuffer();
    record(performance.now() - started, response?.status === 201);
  }),
);

const paidAt = new Map<string, number>();
let whileHeld = before;
await phase('long poll woken by payment', async (record) => {
  const polls = ids.map(async (orderId) => {
    const response = await fetch(`${api}/qr/${orderId}?wait=30`).catch(() => undefined);
    const view = (await response?.json().catch(() => undefined)) as { status?: string } | undefined;
    record(performance.now() - (paidAt.get(orderId) ?? 0), response?.status === 200 && view?.status === 'paid');
  });
  while (held < TERMINALS) await new Promise((resolve) => setTimeout(resolve, 20));
  whileHeld = memory();
  for (const orderId of ids) {
    paidAt.set(orderId, performance.now());
    app.sandbox!.pay(orderId);
  }
  await Promise.all(polls);
});
await app.sandbox!.settled();
const after = memory();

const rows = Object.entries(phases).map(([name, result]) => {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  return {
    phase: name,
    requests: result.requests,
    errors: result.errors,
    'req/s': Math.round((result.requests / result.ms) * 1000),
    'p50 ms': +percentile(sorted, 50).toFixed(1),
    'p95 ms': +percentile(sorted, 95).toFixed(1),
    'p99 ms': +percentile(sorted, 99).toFixed(1),
  };
});
const memoryRows = {
  'RSS MB': { before: before.rssMb, 'polls held': whileHeld.rssMb, after: after.rssMb },
  'heap MB': { before: before.heapMb, 'polls held': whileHeld.heapMb, after: after.heapMb },
};
const perPollKb = ((whileHeld.heapMb - before.heapMb) * 1024) / TERMINALS;
console.table(rows);
console.table(
  Object.fromEntries(
    Object.entries(memoryRows).map(([name, values]) => [
      name,
      Object.fromEntries(Object.entries(values).map(([when, mb]) => [when, +mb.toFixed(1)])),
    ]),
  ),
);
console.log(
  `heap per held poll (with its order): ${perPollKb.toFixed(1)} KB; Amazon calls: ${JSON.stringify(app.sandbox!.calls)}`,
);

await mkdir('.bench', { recursive: true });
await writeFile(
  '.bench/load.json',
  `${JSON.stringify({ terminals: TERMINALS, phases: rows, memory: memoryRows, heapPerHeldPollKb: perPollKb, amazonCalls: app.sandbox!.calls }, null, 2)}\n`,
);
clearTimeout(watchdog);
await app.close();
await server.close();
const errors = rows.reduce((sum, row) => sum + row.errors, 0);
if (errors > 0) {
  console.error(`${errors} requests failed`);
  process.exit(1);
}
