/**
 * The server side of the backend benchmark, in its own process so the load generator does not share
 * its event loop: `hello` is a plain `node:http` hello-world (the baseline), `app` is `createApp`
 * in sandbox mode behind `serve`, configured by the environment (the store, say) past the
 * pending-order cap. Both answer `/__bench` with the long polls held and the memory
 * after a GC (run with `--expose-gc`; `/__bench?gc=0` skips the GC). Prints its URL on the first line of stdout.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config/index.js';
import { pino } from 'pino';
import { createLogger } from '../src/server/log.js';
import { serve } from '../src/server/node-adapter.js';

/** What `/__bench` answers. */
export interface ServerProbe {
  held: number;
  heapUsed: number;
  rss: number;
}

let held = 0;
const pause = () => new Promise((resolve) => setTimeout(resolve, 200));
/**
 * The probe; after a full GC unless `?gc=0` (a count asked for often, while thousands of polls
 * open). The GC runs twice with a pause after each: V8 hands the pages a collection freed back to
 * the system from a background task, and RSS read right after one GC still counts them.
 */
async function probe(gc = true): Promise<ServerProbe> {
  if (gc && globalThis.gc) {
    for (let round = 0; round < 2; round++) {
      globalThis.gc();
      await pause();
    }
  }
  const { heapUsed, rss } = process.memoryUsage();
  return { held, heapUsed, rss };
}

if (process.argv[2] === 'hello') {
  const server = createServer(async (request, response) => {
    if (request.url?.startsWith('/__bench')) {
      const gc = !request.url.endsWith('gc=0');
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(await probe(gc)));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain' }).end('Hello, world');
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => {
    console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
} else {
  let origin = '';
  // The benchmark holds thousands of pending orders on purpose: past the production caps. Its
  // first line of output is the URL, so the sandbox's startup notice goes nowhere with the rest.
  // Orders in memory unless the environment names a store.
  const env = { DQR_STORE: 'memory', ...process.env, AMAZON_PAY_MODE: 'sandbox', DQR_MAX_PENDING_ORDERS: '1000000' };
  const app = await createApp(loadConfig(env), {
    origin: () => origin,
    // Logged as in production (info, one line per request), to nowhere: the cost counts, the lines do not.
    backend: { logger: createLogger({ destination: pino.destination('/dev/null') }) },
  });
  const server = await serve(async (request) => {
    const url = new URL(request.url);
    if (url.pathname === '/__bench') return Response.json(await probe(url.searchParams.get('gc') !== '0'));
    const waiting = request.method === 'GET' && url.searchParams.has('wait');
    if (waiting) held++;
    try {
      return await app.fetch(request);
    } finally {
      if (waiting) held--;
    }
  });
  origin = server.url;
  console.log(origin);
}
