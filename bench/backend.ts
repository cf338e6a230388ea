/**
 * The backend on loopback, server in its own process: Amazon Pay signatures per second; QR
 * creations per second and their latency percentiles (backend → signed call → sandbox, over real
 * HTTP) against a plain `node:http` hello-world under the same load; and how many long polls one
 * process holds, with its memory per held poll.
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { SANDBOX_CREDENTIALS } from '../src/server/config/index.js';
import { amzDate, canonicalRequest, signCanonical } from '../src/server/signing.js';
import type { ServerProbe } from './backend-server.js';
import { perSecond, quantile, within, type Figure, type Section } from './measure.js';

const LOAD_MS = 4_000;
const CONCURRENCY = 32;
const HELD_POLLS = 5_000;

interface Server {
  url: string;
  stop(): Promise<void>;
}

async function startServer(kind: 'hello' | 'app'): Promise<Server> {
  const script = new URL('backend-server.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script, kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [url] = (await within(30_000, `starting the ${kind} server`, once(createInterface(child.stdout!), 'line'))) as [
    string,
  ];
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

/** One HTTP exchange; resolves with its status (0 when the connection failed). */
function exchange(agent: Agent, url: string, method = 'GET', body?: unknown): Promise<number> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const outgoing = request(
      url,
      { agent, method, headers: payload ? { 'content-type': 'application/json' } : {} },
      (incoming) => {
        incoming.resume();
        incoming.once('end', () => resolve(incoming.statusCode ?? 0));
        incoming.once('error', () => resolve(0));
      },
    );
    outgoing.once('error', () => resolve(0));
    outgoing.end(payload);
  });
}

interface Load {
  perSecond: number;
  latencies: number[];
  failures: number;
}

/** `CONCURRENCY` clients sending `next()` back to back for `LOAD_MS`; `ok` tells a good answer. */
async function load(next: (index: number) => Promise<boolean>): Promise<Load> {
  const latencies: number[] = [];
  let failures = 0;
  let index = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() - start < LOAD_MS) {
        const sent = performance.now();
        const ok = await next(index++);
        latencies.push(performance.now() - sent);
        if (!ok) failures++;
      }
    }),
  );
  return { perSecond: (latencies.length / (performance.now() - start)) * 1000, latencies, failures };
}

async function probe(url: string): Promise<ServerProbe> {
  return (await (await fetch(`${url}/__bench`)).json()) as ServerProbe;
}

function createBody(orderId: string) {
  return { orderId, amount: '249.00', currency: 'INR', expiresIn: 600 };
}

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

async function throughputFigures(): Promise<Figure[]> {
  const hello = await startServer('hello');
  const helloAgent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const baseline = await load(async () => (await exchange(helloAgent, hello.url)) === 200);
  helloAgent.destroy();
  await hello.stop();

  const app = await startServer('app');
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const creates = await load(
      async (index) => (await exchange(agent, `${app.url}/api/dqr/qr`, 'POST', createBody(`BENCH-${index}`))) === 201,
    );
    const figures: Figure[] = [
      {
        name: `QR creations (POST /qr → signed Generate QR → sandbox), ${CONCURRENCY} clients`,
        value: creates.perSecond,
        unit: '/s',
        baseline: { name: 'node:http hello-world, same clients', value: baseline.perSecond },
        note: creates.failures ? `${creates.failures} failed` : undefined,
      },
    ];
    for (const [q, statistic] of [
      [0.5, 'p50'],
      [0.95, 'p95'],
      [0.99, 'p99'],
    ] as const) {
      figures.push({
        name: `QR creation latency, ${statistic}`,
        value: quantile(creates.latencies, q),
        unit: 'ms',
        baseline: { name: `hello-world, ${statistic}`, value: quantile(baseline.latencies, q) },
      });
    }
    return [...figures, ...(await heldPollFigures(app.url, agent))];
  } finally {
    agent.destroy();
    await app.stop();
  }
}

/** Creates `HELD_POLLS` orders, then holds a long poll on each until the server counts them all. */
async function heldPollFigures(url: string, agent: Agent): Promise<Figure[]> {
  let created = 0;
  await load(async () => {
    if (created >= HELD_POLLS) return true;
    return (await exchange(agent, `${url}/api/dqr/qr`, 'POST', createBody(`HOLD-${created++}`))) === 201;
  });
  while (created < HELD_POLLS) {
    await exchange(agent, `${url}/api/dqr/qr`, 'POST', createBody(`HOLD-${created++}`));
  }
  const before = await probe(url);
  const pollAgent = new Agent({ keepAlive: false, maxSockets: Infinity });
  let answered = 0;
  for (let index = 0; index < HELD_POLLS; index++) {
    void exchange(pollAgent, `${url}/api/dqr/qr/HOLD-${index}?wait=30`).then(() => answered++);
  }
  let during = await probe(url);
  await within(
    60_000,
    `holding ${HELD_POLLS} long polls`,
    (async () => {
      while (during.held + answered < HELD_POLLS) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        during = await probe(url);
      }
    })(),
  );
  const sent = performance.now();
  const fresh = await exchange(agent, `${url}/api/dqr/qr`, 'POST', createBody('WHILE-HELD'));
  const freshMs = performance.now() - sent;
  pollAgent.destroy();
  return [
    {
      name: 'long polls held at once by one process',
      value: during.held,
      unit: 'polls',
      note: `${HELD_POLLS} asked, ${answered} answered early`,
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
      note: fresh === 201 ? undefined : `answered ${fresh}`,
    },
  ];
}

/** Runs the backend measurements. */
export async function run(): Promise<Section> {
  return {
    title: 'Backend (loopback, server in its own process)',
    figures: [...signatureFigures(), ...(await throughputFigures())],
  };
}
