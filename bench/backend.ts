/**
 * The backend on loopback, server in its own process with the sandbox in it: Amazon Pay
 * signatures per second; QR creation latency at 1, 8 and 32 clients (backend → signed call →
 * sandbox, over real HTTP) against a plain `node:http` hello-world under the same load, each load
 * measured once its connections are open, and the first answers while they open; status GETs per
 * second against that hello-world, the two taking turns; RSS per pending order; and how many long
 * polls one process holds, with its memory per held poll.
 */
import { createHmac } from 'node:crypto';
import { Agent } from 'node:http';
import { DEFAULT_PENDING_LIMITS } from '../src/server/backend/pending-cap.js';
import { SANDBOX_CREDENTIALS } from '../src/server/config/index.js';
import { amzDate, canonicalRequest, signCanonical } from '../src/server/signing.js';
import {
  combined,
  createBody,
  exchange,
  keptAlive,
  load,
  startServer,
  type BenchServer,
  type Load,
} from './http-load.js';
import { perSecond, quantile, within, type Figure, type Section } from './measure.js';

const LOAD_MS = 4_000;
/**
 * Before each measured load, the same load for this long, not measured: its clients open their
 * connections, and the backend its own to the sandbox, as terminals that have been running a while
 * have. What a burst of new connections costs is a figure of its own.
 */
const WARM_UP_MS = 1_000;
const CLIENTS = [1, 8, 32];
const STATUS_CLIENTS = 32;
const PENDING_ORDERS = 10_000;
/** The production cap on pending orders: the working set a process holds before the measure. */
const WARM_UP_ORDERS = DEFAULT_PENDING_LIMITS.maxPending;
/** The status GETs and their baseline take turns in this many slices, so both meet the same machine. */
const STATUS_SLICES = 8;
const HELD_POLLS = 5_000;
const POLL_BATCH = 500;
/** The targets of a QR creation's p99, by clients, in milliseconds. */
const P99_TARGETS_MS: Record<number, number> = { 1: 20, 32: 80 };
const STATUS_TARGET = 0.5;
const RSS_PER_ORDER_TARGET = 8 * 1024;

function signatureFigures(): Figure[] {
  const url = 'https://amazonpay.amazon.in/v2/pay/token';
  const date = amzDate(new Date());
  const canonical = canonicalRequest({
    method: 'POST',
    url,
    amzHeaders: { 'x-amz-client-id': SANDBOX_CREDENTIALS.accessKeyId, 'x-amz-date': date },
    body: JSON.stringify({ merchantId: SANDBOX_CREDENTIALS.merchantId, amount: '249.00', merchantOrderId: 'ORD-1' }),
  });
  const signatures = perSecond(() =>
    signCanonical(canonical, { secretKey: SANDBOX_CREDENTIALS.secretKey, amzDate: date }),
  );
  const hmacs = perSecond(() => createHmac('sha384', SANDBOX_CREDENTIALS.secretKey).update(canonical).digest());
  return [
    {
      name: "signatures (signCanonical: 1 HMAC-SHA384 + 1 SHA-384, the day's key derived once)",
      value: signatures,
      unit: '/s',
      baseline: { name: 'one HMAC-SHA384 of the same text', value: hmacs },
    },
  ];
}

/** `value` against `target`, for a figure's note. */
function against(value: number, target: number, comparison: '≤' | '≥', unit: string): string {
  const met = comparison === '≤' ? value <= target : value >= target;
  return `target ${comparison} ${target}${unit}: ${met ? 'met' : 'missed'}`;
}

/**
 * A load of `clients` for `LOAD_MS` after one of `WARM_UP_MS`, and the clients' first answers in
 * that one; `next` is told a new index for every request of the two.
 */
async function warmedLoad(clients: number, next: (index: number) => Promise<boolean>): Promise<Load> {
  const { firsts, latencies } = await load(clients, WARM_UP_MS, next);
  return { ...(await load(clients, LOAD_MS, (index) => next(latencies.length + index))), firsts };
}

/** The hello-world under each load a QR creation figure gets: their baselines. */
async function baselines(hello: BenchServer): Promise<Map<number, Load>> {
  const loads = new Map<number, Load>();
  for (const clients of CLIENTS) {
    const agent = keptAlive(clients);
    loads.set(clients, await warmedLoad(clients, async () => (await exchange(agent, hello.url)).status === 200));
    agent.destroy();
  }
  return loads;
}

async function creationFigures(app: BenchServer, hello: Map<number, Load>): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const clients of CLIENTS) {
    const agent = keptAlive(clients);
    const creates = await warmedLoad(clients, async (index) => {
      const { status } = await exchange(agent, `${app.url}/api/dqr/qr`, 'POST', createBody(`C${clients}-${index}`));
      return status === 201;
    });
    agent.destroy();
    const baseline = hello.get(clients)!;
    const failed = creates.failures ? `${creates.failures} failed` : undefined;
    figures.push({
      name: `QR creations (POST /qr → signed Generate QR → sandbox), ${clients} clients`,
      value: creates.perSecond,
      unit: '/s',
      baseline: { name: 'node:http hello-world, same clients', value: baseline.perSecond },
      note: failed,
    });
    for (const [q, statistic] of [
      [0.5, 'p50'],
      [0.99, 'p99'],
    ] as const) {
      const value = quantile(creates.latencies, q);
      const target = statistic === 'p99' ? P99_TARGETS_MS[clients] : undefined;
      figures.push({
        name: `QR creation latency, ${clients} clients, ${statistic}`,
        value,
        unit: 'ms',
        baseline: { name: `hello-world, ${statistic}`, value: quantile(baseline.latencies, q) },
        note: target === undefined ? undefined : against(value, target, '≤', ' ms'),
      });
    }
    if (clients > 1) {
      figures.push({
        name: `QR creation latency, ${clients} clients connecting at once, slowest first answer`,
        value: Math.max(...creates.firsts),
        unit: 'ms',
        baseline: { name: 'hello-world, same', value: Math.max(...baseline.firsts) },
        note: 'the backend opens its own to the sandbox meanwhile, one accepted per turn of its busy event loop',
      });
    }
  }
  return figures;
}

/**
 * Status GETs against the hello-world, the two taking turns slice by slice: a machine whose load
 * changes during the run (other processes, CPU frequency) weighs on both alike.
 */
async function statusFigures(app: BenchServer, hello: BenchServer): Promise<Figure[]> {
  const agent = keptAlive(STATUS_CLIENTS);
  const orderIds = Array.from({ length: 100 }, (_, index) => `STATUS-${index}`);
  for (const orderId of orderIds) await exchange(agent, `${app.url}/api/dqr/qr`, 'POST', createBody(orderId));
  const helloRead = async () => (await exchange(agent, hello.url)).status === 200;
  const read = async (index: number) =>
    (await exchange(agent, `${app.url}/api/dqr/qr/${orderIds[index % orderIds.length]}`)).status === 200;
  await load(STATUS_CLIENTS, WARM_UP_MS, helloRead);
  await load(STATUS_CLIENTS, WARM_UP_MS, read);
  const slices: { reads: Load; hello: Load }[] = [];
  const sliceMs = LOAD_MS / STATUS_SLICES;
  for (let slice = 0; slice < STATUS_SLICES; slice++) {
    slices.push({
      hello: await load(STATUS_CLIENTS, sliceMs, helloRead),
      reads: await load(STATUS_CLIENTS, sliceMs, read),
    });
  }
  agent.destroy();
  const reads = combined(slices.map((slice) => slice.reads));
  const baseline = combined(slices.map((slice) => slice.hello));
  return [
    {
      name: `status GETs (GET /qr/{orderId}, pending order), ${STATUS_CLIENTS} clients`,
      value: reads.perSecond,
      unit: '/s',
      baseline: { name: 'node:http hello-world, same clients, in turns with it', value: baseline.perSecond },
      note: against(reads.perSecond / baseline.perSecond, STATUS_TARGET, '≥', '× the baseline'),
    },
    {
      name: 'status GET latency, p99',
      value: quantile(reads.latencies, 0.99),
      unit: 'ms',
      baseline: { name: 'hello-world, p99', value: quantile(baseline.latencies, 0.99) },
    },
  ];
}

/** `count` more orders left pending, created by 8 clients. */
async function createPending(app: BenchServer, count: number, prefix: string): Promise<void> {
  const agent = keptAlive(8);
  let created = 0;
  await within(
    300_000,
    `creating ${count} orders`,
    Promise.all(
      Array.from({ length: 8 }, async () => {
        while (created < count) {
          await exchange(agent, `${app.url}/api/dqr/qr`, 'POST', createBody(`${prefix}-${created++}`));
        }
      }),
    ),
  );
  agent.destroy();
}

/**
 * RSS (after GC) before and after `PENDING_ORDERS` more orders wait to be paid, once the process
 * holds `WARM_UP_ORDERS` already: what one more order costs, not what a fresh process pays once
 * to grow its heap and code to their working size.
 */
async function pendingOrderFigures(app: BenchServer): Promise<Figure[]> {
  await createPending(app, WARM_UP_ORDERS, 'WARM');
  const before = await app.probe();
  await createPending(app, PENDING_ORDERS, 'PENDING');
  const after = await app.probe();
  const perOrder = (after.rss - before.rss) / PENDING_ORDERS;
  const count = (orders: number) => orders.toLocaleString('en-US');
  return [
    {
      name: `RSS per pending order (${count(PENDING_ORDERS)} more after ${count(WARM_UP_ORDERS)}, the sandbox's ledger included)`,
      value: perOrder,
      unit: 'B',
      note: against(perOrder / 1024, RSS_PER_ORDER_TARGET / 1024, '≤', ' KiB'),
    },
    { name: 'heap per pending order', value: (after.heapUsed - before.heapUsed) / PENDING_ORDERS, unit: 'B' },
  ];
}

/**
 * Creates `HELD_POLLS` orders, then has a terminal hold a long poll on each, as terminals do: a
 * poll answered after its 30 s is sent again. They connect a batch at a time (a loaded machine
 * accepts a flood of connections slowly), until the server holds them all.
 */
async function heldPollFigures(app: BenchServer): Promise<Figure[]> {
  const agent = keptAlive(32);
  let created = 0;
  while (created < HELD_POLLS) {
    await Promise.all(
      Array.from({ length: 32 }, () =>
        exchange(agent, `${app.url}/api/dqr/qr`, 'POST', createBody(`HOLD-${created++}`)),
      ),
    );
  }
  const before = await app.probe();
  const pollAgent = new Agent({ keepAlive: false, maxSockets: Infinity });
  let stopped = false;
  let repolled = 0;
  const terminal = async (index: number) => {
    while (!stopped) {
      await exchange(pollAgent, `${app.url}/api/dqr/qr/HOLD-${index}?wait=30`);
      if (!stopped) repolled += 1;
    }
  };
  let during = before;
  await within(
    300_000,
    `holding ${HELD_POLLS} long polls`,
    (async () => {
      for (let opened = 0; opened < HELD_POLLS; opened += POLL_BATCH) {
        for (let index = opened; index < Math.min(HELD_POLLS, opened + POLL_BATCH); index++) void terminal(index);
        while (during.held < Math.min(HELD_POLLS, opened + POLL_BATCH) - repolled) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          during = await app.probe(false);
        }
      }
      while (during.held < HELD_POLLS) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        during = await app.probe(false);
      }
      during = await app.probe();
    })(),
  );
  const sent = performance.now();
  const fresh = await exchange(agent, `${app.url}/api/dqr/qr`, 'POST', createBody('WHILE-HELD'));
  const freshMs = performance.now() - sent;
  stopped = true;
  pollAgent.destroy();
  agent.destroy();
  return [
    {
      name: 'long polls held at once by one process',
      value: during.held,
      unit: 'polls',
      note: repolled ? `${repolled} held their 30 s and were sent again meanwhile` : undefined,
    },
    { name: 'heap per held long poll', value: (during.heapUsed - before.heapUsed) / during.held, unit: 'B' },
    {
      name: 'process RSS while they are held (after GC)',
      value: during.rss / 2 ** 20,
      unit: 'MiB',
      baseline: { name: 'RSS before they were opened', value: before.rss / 2 ** 20 },
    },
    {
      name: `a QR creation while ${during.held} polls are held`,
      value: freshMs,
      unit: 'ms',
      note: fresh.status === 201 ? undefined : `answered ${fresh.status}`,
    },
  ];
}

/** Runs the backend measurements. */
export async function run(): Promise<Section> {
  const figures = signatureFigures();
  const hello = await startServer('hello');
  try {
    const helloLoads = await baselines(hello);
    const measures = [
      (app: BenchServer) => creationFigures(app, helloLoads),
      (app: BenchServer) => statusFigures(app, hello),
    ];
    for (const measure of measures) {
      // A fresh process each: no measurement inherits another's orders.
      const app = await startServer('app');
      try {
        figures.push(...(await measure(app)));
      } finally {
        await app.stop();
      }
    }
  } finally {
    await hello.stop();
  }
  for (const measure of [pendingOrderFigures, heldPollFigures]) {
    const app = await startServer('app');
    try {
      figures.push(...(await measure(app)));
    } finally {
      await app.stop();
    }
  }
  return { title: 'Backend (loopback, server in its own process with the sandbox in it)', figures };
}
