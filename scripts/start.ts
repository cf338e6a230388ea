import { readdirSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build, createServer as createViteServer, type Plugin, type Rolldown } from 'vite';
import { createApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config/index.js';
import { serverOptions, toNodeListener } from '../src/server/node-adapter.js';

/**
 * `npm start`: one process, one port. The reference backend (sandbox mode unless configured
 * otherwise) answers the endpoint contract, the sandbox plays Amazon Pay behind it over real
 * HTTP, and Vite serves the POS demo and the script-tag shop page. It answers only requests for
 * its own host name (a DNS-rebinding page elsewhere gets a 421) and serves only the demo's own
 * files and the package's browser code, never the rest of the project.
 */

const STANDALONE_FILE = 'amazonpay-dqr.min.js';
/**
 * Amazon's schedule asks first after 15 s: right for production, too slow to watch a payment with
 * a lost notification being found in the demo. Sandbox mode asks sooner unless told otherwise.
 */
const SANDBOX_STATUS_SCHEDULE = '2,3,5';
const env = { ...process.env };
if ((env.AMAZON_PAY_MODE?.trim() || 'sandbox') === 'sandbox' && !env.DQR_STATUS_SCHEDULE?.trim()) {
  env.DQR_STATUS_SCHEDULE = SANDBOX_STATUS_SCHEDULE;
}
// The demo's orders are play money, and its sandbox forgets them on restart too: memory will do.
if (!env.DQR_STORE?.trim()) env.DQR_STORE = 'memory';
// A developer reads this log: lines for people unless told otherwise.
env.LOG_FORMAT ??= 'pretty';
const config = loadConfig(env);
const host = process.env.HOST ?? 'localhost';
const port = Number(process.env.PORT ?? 5173);
const project = fileURLToPath(new URL('..', import.meta.url));

/** The demo's own files: its pages, their scripts and styles, at the top of `demo/`. */
const DEMO_FILES = new Set(
  readdirSync(new URL('../demo/', import.meta.url))
    .filter((name) => /^[\w-]+\.(html|css|ts|svg)$/.test(name))
    .map((name) => `/${name}`),
);
/** What Vite serves the demo's pages from: the package's browser code and Vite's own client. */
const BROWSER_CODE = [
  `/@fs${project}src/`,
  `/@fs${project}node_modules/.vite/deps/`,
  `/@fs${project}node_modules/vite/dist/client/`,
];
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
/** Host names this server answers to: `HOST` (with its loopback aliases) and `DEMO_HOSTS`. */
const hostNames = [
  ...(LOOPBACK.includes(host) || host === '::1' ? LOOPBACK : [host]),
  ...(process.env.DEMO_HOSTS ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean),
];

/** Whether `rawPath` (as requested, percent-encoded) is one of the demo's files or the browser code it loads. */
function isDemoPath(rawPath: string) {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return false;
  }
  if (path.split(/[/\\]/).some((segment) => segment === '..' || segment === '.')) return false;
  if (path === '/' || DEMO_FILES.has(path) || path === '/@vite/client' || path === '/@vite/env') return true;
  return BROWSER_CODE.some((prefix) => path.startsWith(prefix)) && !path.startsWith(`/@fs${project}src/server/`);
}

let origin = '';
const server = createServer(serverOptions(config.timeouts));
const app = await createApp(config, { origin: () => origin });
const handleApp = toNodeListener(app.fetch);

/** Each visit to the shop page is a new checkout, so it gets a new order id. */
const shopOrderIds: Plugin = {
  name: 'shop-order-ids',
  transformIndexHtml: (html) =>
    html.replace('%SHOP_ORDER_ID%', `SHOP-${Date.now().toString(36).toUpperCase()}-${process.pid}`),
};

const vite = await createViteServer({
  appType: 'mpa',
  server: { middlewareMode: true, ws: { server }, allowedHosts: hostNames.map((name) => name.replace(/^\[|\]$/g, '')) },
  plugins: [shopOrderIds],
});

/**
 * The same self-registering file `npm run build` writes and its language and feature files (`lang/<code>.js`, `features/<name>.js`),
 * built in memory on first use, by path.
 */
let standalone: Promise<Map<string, string>> | undefined;
function standaloneBundle(): Promise<Map<string, string>> {
  standalone ??= build({ mode: 'standalone', logLevel: 'warn', build: { write: false } }).then((result) => {
    const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
    const files = new Map(
      outputs
        .flatMap((output) => output.output)
        .map((file) => [`/${file.fileName}`, file.type === 'chunk' ? file.code : String(file.source)] as const),
    );
    if (!files.has(`/${STANDALONE_FILE}`)) throw new Error(`The standalone build did not produce ${STANDALONE_FILE}.`);
    return files;
  });
  return standalone;
}
vite.watcher.on('change', (file) => {
  if (file.includes('/src/')) standalone = undefined;
});

function isAppPath(path: string) {
  return [config.basePath, '/sandbox'].some((base) => path === base || path.startsWith(`${base}/`));
}

function refuse(response: ServerResponse, status: number, message: string) {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(message);
}

server.on('request', (request, response) => {
  const path = (request.url ?? '/').split('?')[0];
  if (!hostNames.some((name) => request.headers.host === `${name}:${(server.address() as AddressInfo).port}`)) {
    return refuse(response, 421, `This demo answers ${hostNames.join(', ')} only (DEMO_HOSTS adds more).`);
  }
  if (isAppPath(path)) return void handleApp(request, response);
  if (path === `/${STANDALONE_FILE}` || path.startsWith('/lang/') || path.startsWith('/features/')) {
    return void standaloneBundle().then(
      (files) => {
        const code = files.get(path);
        if (code === undefined) response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
        else response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(code);
      },
      (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(error.message),
    );
  }
  if (!isDemoPath(path)) return refuse(response, 404, 'Not found');
  vite.middlewares(request, response);
});

server.listen(port, host, () => {
  const address = server.address() as AddressInfo;
  origin = `http://${host}:${address.port}`;
  console.log(`amazonpay-dqr demo (${config.mode}) on ${origin}/`);
  console.log(`  POS screen   ${origin}/index.html`);
  console.log(`  shop page    ${origin}/shop.html`);
  console.log(`  backend      ${origin}${config.basePath}`);
});

async function stop() {
  await app.close();
  await vite.close();
  server.closeAllConnections();
  server.close(() => process.exit(0));
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
