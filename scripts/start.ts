import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build, createServer as createViteServer, type Plugin, type Rolldown } from 'vite';
import { createApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config/index.js';
import { toNodeListener } from '../src/server/node-adapter.js';

/**
 * `npm start`: one process, one port. The reference backend (sandbox mode unless configured
 * otherwise) answers the endpoint contract, the sandbox plays Amazon Pay behind it over real
 * HTTP, and Vite serves the POS demo and the script-tag shop page.
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
const config = loadConfig(env);
const host = process.env.HOST ?? 'localhost';
const port = Number(process.env.PORT ?? 5173);

let origin = '';
const server = createServer();
const app = createApp(config, { origin: () => origin });
const handleApp = toNodeListener(app.fetch);

/** Each visit to the shop page is a new checkout, so it gets a new order id. */
const shopOrderIds: Plugin = {
  name: 'shop-order-ids',
  transformIndexHtml: (html) =>
    html.replace('%SHOP_ORDER_ID%', `SHOP-${Date.now().toString(36).toUpperCase()}-${process.pid}`),
};

const vite = await createViteServer({
  appType: 'mpa',
  server: { middlewareMode: true, ws: { server } },
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

server.on('request', (request, response) => {
  const path = (request.url ?? '/').split('?')[0];
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
  app.close();
  await vite.close();
  server.closeAllConnections();
  server.close(() => process.exit(0));
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
