/**
 * The package as its users get it: packed once by `npm pack`, installed from the tarball into
 * consumer projects written the way users write them (`fixtures/`), which are then type-checked,
 * built and run: in Chromium against the sandbox for the front ends, over real HTTP for the servers.
 * The README's and the docs' code is the fixtures' code, so a snippet that stops working fails here.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { pack, type Packed } from '../../scripts/pack.js';
import { hi } from '../../src/i18n/translations/hi.js';
import { decodeQr, launchChromium, watchPage } from '../e2e/harness.js';
import { redisSkipReason, REDIS_URL } from '../server/support/redis.js';
import { freePort, install, type Installed, type Project, type Running } from './support/projects.js';
import { aimedAt, codeBlocks, documents } from './support/snippets.js';

const FIXTURES = ['vite-app', 'react-app', 'html-page', 'servers'] as const;
const redisSkip = await redisSkipReason();

/** An order view, as much of it as the checks read. */
interface View {
  orderId: string;
  status: string;
  mode?: string;
  qrString?: string;
  amazonChargeId?: string;
  code?: string;
  message?: string;
}

/** A contract call to a backend mounted at `/api/dqr`; a JSON body is sent as JSON. */
async function call(origin: string, path: string, { body, headers = {} }: { body?: unknown; headers?: object } = {}) {
  const response = await fetch(`${origin}/api/dqr${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, view: (await response.json()) as View };
}

/** The customer pays in the sandbox at `sandbox`; resolves with the charge id Amazon made. */
async function customerPays(sandbox: string, orderId: string): Promise<string> {
  const response = await fetch(`${sandbox}/sandbox/control/orders/${orderId}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(response.status, 200, `the sandbox took the payment of ${orderId}`);
  return ((await response.json()) as { charge: { amazonChargeId: string } }).charge.amazonChargeId;
}

/**
 * A real sandbox round trip through a mounted backend: a QR for a new order, a long poll held
 * while the customer pays in the sandbox, and that long poll answering `paid` with Amazon's charge.
 */
async function roundTrip(origin: string, { headers = {}, sandbox = origin } = {}): Promise<void> {
  const orderId = `ORD-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const created = await call(origin, '/qr', {
    body: { orderId, amount: '249.00', currency: 'INR', expiresIn: 120 },
    headers,
  });
  assert.equal(created.status, 201, JSON.stringify(created.view));
  assert.match(created.view.qrString ?? '', /^upi:\/\/pay\?/);
  const waiting = call(origin, `/qr/${orderId}?wait=25`, { headers });
  const charge = await customerPays(sandbox, orderId);
  const answer = await waiting;
  assert.equal(answer.status, 200);
  assert.equal(answer.view.status, 'paid');
  assert.equal(answer.view.amazonChargeId, charge);
}

/** Serves a built Vite app with `vite preview`, its `/api/dqr` proxied to `backend`. */
function preview(app: Project, backend: Running): Promise<Running> {
  return freePort().then((port) =>
    app.start('node_modules/.bin/vite', ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
      BACKEND_URL: backend.url,
      PORT: String(port),
    }),
  );
}

/** What the page shows in the element's shadow root, by selector. */
function shown(page: Page, selector: string): Promise<string> {
  return page.locator(`amazonpay-dqr ${selector}`).innerText();
}

describe('the packed package in consumer projects', { timeout: 15 * 60_000 }, () => {
  let packed: Packed;
  let installed: Installed;
  let browser: Browser;
  const running: Running[] = [];
  const project = (name: (typeof FIXTURES)[number]) => installed.projects[name]!;
  /** Starts a server for this suite; every one is stopped after it. */
  async function started(server: Promise<Running>): Promise<Running> {
    running.push(await server);
    return running.at(-1)!;
  }

  before(
    async () => {
      packed = await pack();
      [installed, browser] = await Promise.all([install(packed.tarball, FIXTURES), launchChromium()]);
    },
    { timeout: 10 * 60_000 },
  );

  after(async () => {
    await Promise.all(running.map((server) => server.stop()));
    await browser?.close();
    await installed?.remove();
    if (packed) await rm(dirname(packed.folder), { recursive: true, force: true });
  });

  describe('a Vite + TypeScript app importing amazonpay-dqr/define', () => {
    it('type-checks with skipLibCheck false under bundler and nodenext resolution, negative type tests included', async () => {
      const app = project('vite-app');
      await app.run('node_modules/.bin/tsc', ['-p', 'tsconfig.json']);
      await app.run('node_modules/.bin/tsc', ['-p', 'tsconfig.nodenext.json']);
      // Its backend folder shares the contract's types: amazonpay-dqr/server without the Redis driver.
      await app.run('node_modules/.bin/tsc', ['-p', 'backend/tsconfig.json']);
    });

    it('installs no Redis driver (an optional peer), and amazonpay-dqr/server loads without it', async () => {
      const app = project('vite-app');
      assert.equal(existsSync(join(app.dir, 'node_modules/redis')), false);
      assert.equal(existsSync(join(app.dir, 'node_modules/@redis')), false);
      const { stdout } = await app.run('node', [
        '--input-type=module',
        '-e',
        "const server = await import('amazonpay-dqr/server'); console.log(typeof server.createApp);",
      ]);
      assert.equal(stdout.trim(), 'function');
    });

    it('builds and takes a payment in Chromium: the paid listener gets the charge id', async () => {
      const app = project('vite-app');
      await app.run('node_modules/.bin/vite', ['build']);
      const backend = await started(app.start('npx', ['amazonpay-dqr-backend'], { LOG_LEVEL: 'warn' }));
      const site = await started(preview(app, backend));
      const page = await browser.newPage();
      const problems = watchPage(page);
      await page.goto(site.url);
      await page.waitForSelector('amazonpay-dqr[status="pending"]');
      const charge = await customerPays(backend.url, 'ORD-1042');
      await page.waitForFunction((text) => document.querySelector('#till')?.textContent === text, `receipt ${charge}`);
      assert.deepEqual(problems, []);
      await page.close();
    });
  });

  describe('a React 19 app using only amazonpay-dqr/react', () => {
    it('type-checks with skipLibCheck false and builds', async () => {
      const app = project('react-app');
      await app.run('node_modules/.bin/tsc', ['-p', 'tsconfig.json']);
      await app.run('node_modules/.bin/vite', ['build']);
    });

    it('renders on the server as the bare tag with its plain attributes: no camelCase props, no secrets', async () => {
      const { stdout } = await project('react-app').run('node', ['ssr.js']);
      assert.equal(stdout.trim(), '<amazonpay-dqr lang="hi"></amazonpay-dqr>');
    });

    it('in Chromium against the sandbox: the element registers, its QR decodes from the screen, onPaid gets the charge id', async () => {
      const app = project('react-app');
      const backend = await started(app.start('npx', ['amazonpay-dqr-backend'], { LOG_LEVEL: 'warn' }));
      const site = await started(preview(app, backend));
      const page = await browser.newPage();
      const problems = watchPage(page);
      const orderId = `ORD-R${Date.now()}`;
      await page.goto(`${site.url}/?order=${orderId}`);
      await page.waitForSelector('amazonpay-dqr[status="pending"]');
      assert.equal(
        await page.evaluate(() => customElements.get('amazonpay-dqr') !== undefined),
        true,
        'importing the wrapper registers the element',
      );
      const { view } = await call(backend.url, `/qr/${orderId}`);
      assert.equal(await decodeQr(page.locator('amazonpay-dqr [part="qr"]')), view.qrString);
      assert.equal(await shown(page, '.instructions'), hi.instructions, 'lang="hi" reached the element');
      const charge = await customerPays(backend.url, orderId);
      await page.waitForFunction(
        (text) => document.querySelector('#paid')?.textContent === text,
        `${orderId} ${charge}`,
      );
      assert.deepEqual(problems, []);
      await page.close();
    });
  });

  describe('a plain HTML page with only the installed amazonpay-dqr.min.js', () => {
    it('in Hindi, in kiosk mode, without <meta charset>, under a strict CSP: the QR, its words, the paid mark', async () => {
      const site = await started(project('html-page').start('node', ['server.js'], { LOG_LEVEL: 'warn' }));
      const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
      const problems = watchPage(page);
      const fetched: string[] = [];
      page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
      await page.goto(site.url);
      await page.waitForSelector('amazonpay-dqr[status="pending"]');
      const { view } = await call(site.url, '/qr/ORD-2001');
      const qr = page.locator('amazonpay-dqr [part="qr"]');
      assert.equal(await decodeQr(qr), view.qrString);
      assert.ok((await qr.boundingBox())!.width > 320, 'kiosk mode draws the QR beyond the default 320 px');
      assert.deepEqual(fetched.filter((path) => path.startsWith('/assets/')).sort(), [
        '/assets/amazonpay-dqr.min.js',
        '/assets/features/kiosk.js',
        '/assets/lang/hi.js',
      ]);
      assert.equal(await shown(page, '.instructions'), hi.instructions);
      await customerPays(site.url, 'ORD-2001');
      await page.waitForSelector('amazonpay-dqr[status="paid"]');
      // Drawn by the script-tag file itself: raw UTF-8 read as the page's legacy encoding would be "âœ“".
      assert.equal(await shown(page, '.icon'), '✓');
      assert.equal(await shown(page, '[part="status"]'), hi.paid);
      assert.deepEqual(problems, [], 'no script error and no Content-Security-Policy violation');
      await page.close();
    });
  });

  describe('servers mounting the backend as the README shows', () => {
    const till = { authorization: 'Bearer till-3' };
    const server = (file: string, env: Record<string, string> = {}) =>
      started(project('servers').start('node', [`dist/${file}.js`], { LOG_LEVEL: 'warn', ...env }));

    before(async () => {
      // skipLibCheck false; the DOM lib because @hono/node-server's declarations name `RequestInfo`.
      await project('servers').run('node_modules/.bin/tsc', ['-p', 'tsconfig.json']);
    });

    for (const [file, name] of [
      ['node', "Node's own server (serve)"],
      ['express', 'Express 5'],
      ['fastify', 'Fastify 5'],
      ['hono', 'Hono on @hono/node-server 1'],
    ] as const) {
      it(`${name}: create, pay through the sandbox, the long poll answers paid; the cashier's sign-in is asked`, async () => {
        const { url } = await server(file);
        await roundTrip(url, { headers: till });
        const stranger = await call(url, '/qr', {
          body: { orderId: 'ORD-X1', amount: '249.00', currency: 'INR', expiresIn: 120 },
        });
        assert.equal(stranger.status, 401);
        assert.equal(stranger.view.code, 'UNAUTHORIZED');
      });
    }

    it(
      'several instances: the README createBackend on one Redis, against a sandbox elsewhere',
      { skip: redisSkip },
      async () => {
        const amazon = await server('node');
        const { url } = await server('redis-server', {
          REDIS_URL,
          AMAZON_PAY_MODE: 'sandbox',
          AMAZON_PAY_BASE_URL: `${amazon.url}/sandbox`,
          DQR_STATUS_SCHEDULE: '1',
        });
        // The sandbox notifies its own server, not this one: the long poll learns of the payment by asking.
        await roundTrip(url, { sandbox: amazon.url });
      },
    );

    it("your own sign-in: a production createBackend with an authorize hook serves the shop's tills only", async () => {
      const amazon = await server('node');
      const { url } = await server('own-sign-in', {
        AMAZON_PAY_MODE: 'sandbox',
        AMAZON_PAY_BASE_URL: `${amazon.url}/sandbox`,
      });
      const terms = { orderId: `ORD-S${Date.now()}`, amount: '249.00', currency: 'INR', expiresIn: 120 };
      const stranger = await call(url, '/qr', { body: terms });
      assert.equal(stranger.status, 401);
      const created = await call(url, '/qr', { body: terms, headers: till });
      assert.equal(created.status, 201, JSON.stringify(created.view));
      assert.equal(created.view.mode, 'production');
    });

    it('createSandbox: a backend built with createBackend, tested against a sandbox of its own', async () => {
      const { url } = await server('sandbox');
      await roundTrip(url);
    });

    it("app.use('/api/dqr', listener) in Express works: the listener routes on the whole path", async () => {
      const { url } = await server('mistakes', { MISTAKE: 'express-use' });
      await roundTrip(url, { headers: till });
    });

    for (const [mistake, name] of [
      ['express-parser-first', 'express.json() ahead of the backend'],
      ['fastify-parsers', "Fastify's own content-type parsers"],
    ] as const) {
      it(`${name}: 500 BODY_ALREADY_READ saying what to change, and told once on the console`, async () => {
        const mounted = await server('mistakes', { MISTAKE: mistake });
        const terms = { amount: '249.00', currency: 'INR', expiresIn: 120 };
        const first = await call(mounted.url, '/qr', { body: { orderId: 'ORD-M1', ...terms }, headers: till });
        const second = await call(mounted.url, '/qr', { body: { orderId: 'ORD-M2', ...terms }, headers: till });
        for (const { status, view } of [first, second]) {
          assert.equal(status, 500);
          assert.equal(view.code, 'BODY_ALREADY_READ');
          assert.match(view.message!, /Mount the backend before any body parser/);
        }
        assert.equal(mounted.output().match(/was read before the payment backend got it/g)?.length, 1);
      });
    }
  });

  describe('npx amazonpay-dqr-backend in a consumer project', () => {
    it('serves the backend and the sandbox: a round trip', async () => {
      const backend = await started(
        project('html-page').start('npx', ['amazonpay-dqr-backend'], { LOG_LEVEL: 'warn' }),
      );
      await roundTrip(backend.url);
    });

    it('--help prints the usage and exits, starting no server', async () => {
      const port = String(await freePort());
      const { stdout } = await project('html-page').run(
        'npx',
        ['amazonpay-dqr-backend', '--help'],
        { PORT: port },
        30_000,
      );
      assert.match(stdout, /^Usage: amazonpay-dqr-backend/);
      assert.match(stdout, /serve .*\n.*check .*\n.*token /);
    });

    it('with DQR_STORE=redis but no redis package installed: exits 1 saying what to install', async () => {
      const started = project('html-page').run('npx', ['amazonpay-dqr-backend'], {
        DQR_STORE: 'redis',
        REDIS_URL: 'redis://127.0.0.1:1',
        PORT: String(await freePort()),
      });
      await assert.rejects(
        started,
        /DQR_STORE=redis needs the redis package, which is not installed: npm install redis@5/,
      );
    });

    it('with no store chosen and no better-sqlite3 installed: exits 1 saying what to install', async () => {
      const started = project('html-page').run('npx', ['amazonpay-dqr-backend'], { PORT: String(await freePort()) });
      await assert.rejects(
        started,
        /DQR_STORE=sqlite needs the better-sqlite3 package, which is not installed: npm install better-sqlite3@12/,
      );
    });
  });

  describe('the README and the docs', () => {
    it('every TypeScript block is the code of a consumer fixture, which compiles and runs it above', async () => {
      const sources = await fixtureSources();
      const missing = [];
      for (const file of await documents()) {
        for (const block of await codeBlocks(file)) {
          if (!['ts', 'tsx'].includes(block.lang)) continue;
          if (!sources.some((source) => source.includes(block.code))) missing.push(`${block.file}:${block.line}`);
        }
      }
      assert.deepEqual(missing, [], 'these blocks are in no fixture of test/consumers/fixtures/: put them in one');
    });

    it('every shell block parses, and the curl examples run against npx amazonpay-dqr-backend', async () => {
      const backend = await started(
        project('html-page').start('npx', ['amazonpay-dqr-backend'], { LOG_LEVEL: 'warn' }),
      );
      for (const file of await documents()) {
        for (const block of await codeBlocks(file)) {
          if (!['sh', 'bash'].includes(block.lang)) continue;
          const where = `${block.file}:${block.line}`;
          await run('bash', ['-n', '-c', block.code]).catch((error: Error) =>
            assert.fail(`${where}: ${error.message}`),
          );
          if (!/^curl /m.test(block.code)) continue;
          const { stdout } = await run('bash', ['-e', '-c', aimedAt(block.code, backend.url)], {
            timeout: 30_000,
          }).catch((error: Error) => assert.fail(`${where} failed: ${error.message}`));
          assert.doesNotMatch(stdout, /"code":"(INTERNAL|NOT_FOUND|NotFound)"/, `${where} answered: ${stdout}`);
        }
      }
    });
  });
});

const run = promisify(execFile);

/** The text of every file of the consumer fixtures. */
async function fixtureSources(): Promise<string[]> {
  const folder = new URL('fixtures/', import.meta.url).pathname;
  const files = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  return Promise.all(files.map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')));
}
