/**
 * What the backend benchmarks share: a server in a process of its own (`backend-server.ts`), one
 * HTTP exchange over a kept-alive agent, and a closed-loop load of N clients for a while.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import type { ServerProbe } from './backend-server.js';
import { within } from './measure.js';

/** A benchmark server in its own process. */
export interface BenchServer {
  url: string;
  /** The server's count of held polls and its memory, after a full GC unless `gc` is false. */
  probe(gc?: boolean): Promise<ServerProbe>;
  stop(): Promise<void>;
}

/** Starts `backend-server.ts` as `kind`, with `env` added to this process's environment. */
export async function startServer(kind: 'hello' | 'app', env: Record<string, string> = {}): Promise<BenchServer> {
  const script = new URL('backend-server.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script, kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const [url] = (await within(30_000, `starting the ${kind} server`, once(createInterface(child.stdout!), 'line'))) as [
    string,
  ];
  // One kept-alive connection for the probes: opened before any flood of connections, so a probe
  // never waits in the server's accept queue behind thousands of them.
  const probes = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    url,
    probe: async (gc = true) =>
      JSON.parse((await exchange(probes, `${url}/__bench${gc ? '' : '?gc=0'}`)).text) as ServerProbe,
    async stop() {
      probes.destroy();
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

/** One HTTP exchange; resolves with its status (0 when the connection failed) and its body. */
export function exchange(
  agent: Agent,
  url: string,
  method = 'GET',
  body?: unknown,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const outgoing = request(
      url,
      { agent, method, headers: payload ? { 'content-type': 'application/json' } : {} },
      (incoming) => {
        let text = '';
        incoming.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        incoming.once('end', () => resolve({ status: incoming.statusCode ?? 0, text }));
        incoming.once('error', () => resolve({ status: 0, text }));
      },
    );
    outgoing.once('error', () => resolve({ status: 0, text: '' }));
    outgoing.end(payload);
  });
}

/** What a load measured. */
export interface Load {
  perSecond: number;
  latencies: number[];
  failures: number;
  /** Each client's first latency: its answer while all the clients were opening their connections. */
  firsts: number[];
}

/** `clients` clients sending `next()` back to back for `ms`; `next` resolves whether the answer was good. */
export async function load(clients: number, ms: number, next: (index: number) => Promise<boolean>): Promise<Load> {
  const latencies: number[] = [];
  const firsts: number[] = [];
  let failures = 0;
  let index = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let first = true; performance.now() - start < ms; first = false) {
        const sent = performance.now();
        const ok = await next(index++);
        const latency = performance.now() - sent;
        latencies.push(latency);
        if (first) firsts.push(latency);
        if (!ok) failures++;
      }
    }),
  );
  return { perSecond: (latencies.length / (performance.now() - start)) * 1000, latencies, failures, firsts };
}

/** Loads of equal length taken as one: their mean rate, all their latencies and failures. */
export function combined(loads: Load[]): Load {
  return {
    perSecond: loads.reduce((sum, each) => sum + each.perSecond, 0) / loads.length,
    latencies: loads.flatMap((each) => each.latencies),
    failures: loads.reduce((sum, each) => sum + each.failures, 0),
    firsts: loads.flatMap((each) => each.firsts),
  };
}

/** A kept-alive agent with a socket per client. */
export const keptAlive = (clients: number) => new Agent({ keepAlive: true, maxSockets: clients });

/** A `POST /qr` body for `orderId`. */
export function createBody(orderId: string) {
  return { orderId, amount: '249.00', currency: 'INR', expiresIn: 600 };
}
