/**
 * The backend on loopback, server in its own process with the sandbox in it: Amazon Pay
 * signatures per second; QR creation latency at 1, 8 and 32 clients (backend → signed call →
 * sandbox, over real HTTP) against a plain `node:http` hello-world under the same load; status GETs
 * per second against that hello-world in the same run; RSS per pending order; and how many long
 * polls one process holds, with its memory per held poll.
 */
import { createHmac } from 'node:crypto';
import { Agent } from 'node:http';
import { SANDBOX_CREDENTIALS } from '../src/server/config/index.js';
import { amzDate, canonicalRequest, signCanonical } from '../src/server/signing.js';
import { createBody, exchange, keptAlive, load, startServer, type BenchServer, type Load } from './http-load.js';
import { perSecond, quantile, within, type Figure, type Section } from './measure.js';

const LOAD_MS = 4_000;
const CLIENTS = [1, 8, 32];
const STATUS_CLIENTS = 32;
const PENDING_ORDERS = 10_000;
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
      name: 'signatures (signCanonical: 5 HMAC-SHA384 + 1 SHA-384)',
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

/** The hello-world under each load the backend gets: the baseline of every figure below. */
async function baselines(): Promise<Map<number, Load>> {
  const hello = await startServer('hello');
  const loads = new Map<number, Load>();
  try {
    for (const clients of new Set([...CLIENTS, STATUS_CLIENTS])) {
      const agent = keptAlive(clients);
      loads.set(clients, await load(clients, LOAD_MS, async () => (await exchange(agent, hello.url)).status === 200));
      agent.destroy();
    }
  } finally {
    await hello.stop();
  }
  return loads;
}

async function creationFigures(app: BenchServer, hello: Map<number, Load>): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const clients of CLIENTS) {
    const agent = keptAlive(clients);
    const creates = await load(clients, LOAD_MS, async (index) => {
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
  }
  return figures;
}

async function statusFigures(app: BenchServer, hello: Map<number, Load>): Promise<Figure[]> {
  const agent = keptAlive(STATUS_CLIENTS);
  const orderIds = Array.from({ length: 100 }, (_, index) => `STATUS-${index}`);
  for (const orderId of orderIds) await exchange(agent, `${app.url}/api/dqr/qr`, 'POST', createBody(orderId));
  const reads = await load(STATUS_CLIENTS, LOAD_MS, async (index) => {
    const { status } = await exchange(agent, `${app.url}/api/dqr/qr/${orderIds[index % orderIds.length]}`);
    return status === 200;
  });
  agent.destroy();
  const baseline = hello.get(STATUS_CLIENTS)!;
  return [
    {
      name: `status GETs (GET /qr/{orderId}, pending order), ${STATUS_CLIENTS} clients`,
      value: reads.perSecond,
      unit: '/s',
      baseline: { name: 'node:http hello-world, same clients', value: baseline.perSecond },
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

/** RSS (after a GC) before and after `PENDING_ORDERS` more orders wait to be paid. */
async function pendingOrderFigures(app: BenchServer): Promise<Figure[]> {
  const agent = keptAlive(8);
  const before = await app.probe();
  let created = 0;
  await within(
    300_000,
    `creating ${PENDING_ORDERS} orders`,
    Promise.all(
      Array.from({ length: 8 }, async () => {
        while (created < PENDING_ORDERS) {
          await exchange(agent, `${app.url}/api/dqr/qr`, 'POST', createBody(`PENDING-${created++}`));
        }
      }),
    ),
  );
  agent.destroy();
  const after = await app.probe();
  const perOrder = (after.rss - before.rss) / PENDING_ORDERS;
  return [
    {
      name: `RSS per pending order (${PENDING_ORDERS.toLocaleString('en-US')} more, the sandbox's ledger included)`,
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
  const hello = await baselines();
  const figures = signatureFigures();
  for (const measure of [creationFigures, statusFigures]) {
    // A fresh process each: no measurement inherits another's orders.
    const app = await startServer('app');
    try {
      figures.push(...(await measure(app, hello)));
    } finally {
      await app.stop();
    }
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
