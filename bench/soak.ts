/**
 * The soak: 1,000 terminals, each holding a long poll on its current order, for 10 minutes
 * (`BENCH_SOAK_MS`), while their customers pay (each order after 1 to 3 minutes) and the terminals
 * go on with the next order. The server runs in its own process, the sandbox in it, its orders in
 * SQLite on a temporary file as in production (the memory store keeps each finished order for a
 * day, so its RSS grows with the orders by design); its RSS is sampled after GC every 30 s. Passes when
 * no request fails and the RSS at the end is within 10% of the RSS once every terminal had an order
 * paid. `npm run bench:soak` runs it alone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBody, exchange, startServer } from './http-load.js';
import type { Figure, Section } from './measure.js';

const TERMINALS = Number(process.env.BENCH_SOAK_TERMINALS ?? 1_000);
const DURATION_MS = Number(process.env.BENCH_SOAK_MS ?? 600_000);
const SAMPLE_EVERY_MS = 30_000;
/** How long after its QR a customer pays: from one to three minutes. */
const PAY_AFTER_MS: [number, number] = [60_000, 180_000];
/**
 * The soak's baseline: the RSS once every terminal's first order has been paid, and so every
 * terminal goes round create, hold and pay. Until then the process is still growing into that
 * work (the payments' notifications, the sandbox's book of charges).
 */
const WARM_UP_MS = Math.min(PAY_AFTER_MS[1], DURATION_MS / 3);
const RSS_TOLERANCE = 0.1;

interface Terminal {
  orderId?: string;
  payAt: number;
  orders: number;
}

/** Runs the soak; its section reports the errors, the requests and the RSS. */
export async function run(): Promise<Section> {
  const directory = await mkdtemp(join(tmpdir(), 'dqr-soak-'));
  const server = await startServer('app', { DQR_STORE: 'sqlite', DQR_SQLITE_PATH: join(directory, 'orders.db') });
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const api = `${server.url}/api/dqr`;
  const started = performance.now();
  const ends = started + DURATION_MS;
  const terminals: Terminal[] = Array.from({ length: TERMINALS }, () => ({ payAt: Infinity, orders: 0 }));
  const errors: string[] = [];
  let requests = 0;
  let paid = 0;

  let failures = 0;
  const check = (ok: boolean, what: string) => {
    requests += 1;
    if (!ok && ++failures <= 20) errors.push(what);
    return ok;
  };

  async function terminal(index: number) {
    const self = terminals[index];
    while (performance.now() < ends) {
      const orderId = `SOAK-${index}-${self.orders++}`;
      const created = await exchange(agent, `${api}/qr`, 'POST', createBody(orderId));
      if (!check(created.status === 201, `create ${orderId}: ${created.status}`)) continue;
      self.orderId = orderId;
      self.payAt = performance.now() + PAY_AFTER_MS[0] + Math.random() * (PAY_AFTER_MS[1] - PAY_AFTER_MS[0]);
      for (;;) {
        const polled = await exchange(agent, `${api}/qr/${orderId}?wait=30`);
        const status = polled.status === 200 ? (JSON.parse(polled.text) as { status: string }).status : undefined;
        if (!check(status === 'pending' || status === 'paid', `poll ${orderId}: ${polled.status} ${status}`)) break;
        if (status === 'paid' || performance.now() >= ends) break;
      }
    }
  }

  /** The customers: every second, each order whose time has come is paid. */
  async function customers() {
    while (performance.now() < ends) {
      const now = performance.now();
      for (const self of terminals) {
        if (self.orderId === undefined || self.payAt > now) continue;
        const orderId = self.orderId;
        self.payAt = Infinity;
        const payment = await exchange(agent, `${server.url}/sandbox/control/orders/${orderId}/pay`, 'POST', {});
        if (check(payment.status === 200, `pay ${orderId}: ${payment.status}`)) paid += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }

  const samples: { atMs: number; rss: number }[] = [];
  async function sampler() {
    while (performance.now() < ends) {
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
      const { rss } = await server.probe();
      samples.push({ atMs: performance.now() - started, rss });
    }
  }

  try {
    await Promise.all([...terminals.map((_, index) => terminal(index)), customers(), sampler()]);
  } finally {
    agent.destroy();
    await server.stop();
    await rm(directory, { recursive: true, force: true });
  }

  const baseline = samples.find((sample) => sample.atMs >= WARM_UP_MS) ?? samples[0];
  const last = samples.at(-1) ?? baseline;
  const growth = last.rss / baseline.rss - 1;
  const minutes = DURATION_MS / 60_000;
  const figures: Figure[] = [
    {
      name: `requests answered in error (${TERMINALS} terminals, ${minutes} min)`,
      value: failures,
      unit: 'errors',
      note: failures === 0 ? 'target 0: met' : `target 0: missed (${errors.slice(0, 3).join('; ')})`,
    },
    { name: 'requests (creates, long polls, payments)', value: requests, unit: 'requests' },
    { name: 'orders paid', value: paid, unit: 'orders' },
    {
      name: 'server RSS at the end (after GC)',
      value: last.rss / 2 ** 20,
      unit: 'MiB',
      baseline: {
        name: `RSS at ${Math.round(baseline.atMs / 1000)} s, every terminal's first order paid`,
        value: baseline.rss / 2 ** 20,
      },
      note: `${(growth * 100).toFixed(1)}%; target ±${RSS_TOLERANCE * 100}%: ${Math.abs(growth) <= RSS_TOLERANCE ? 'met' : 'missed'}`,
    },
    {
      name: 'largest RSS sampled',
      value: Math.max(...samples.map((sample) => sample.rss)) / 2 ** 20,
      unit: 'MiB',
    },
    {
      name: 'RSS while the first orders were being paid (all polls held)',
      value: (samples.filter((sample) => sample.atMs < baseline.atMs).at(-1) ?? baseline).rss / 2 ** 20,
      unit: 'MiB',
    },
  ];
  if (failures > 0 || Math.abs(growth) > RSS_TOLERANCE) {
    console.error(`bench: soak: ${failures} errors, RSS ${(growth * 100).toFixed(1)}%`, errors);
  }
  return {
    title: `Soak (${TERMINALS} terminals holding long polls for ${minutes} minutes, loopback, SQLite store)`,
    figures,
  };
}
