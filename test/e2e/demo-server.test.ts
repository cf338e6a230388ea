import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { startDemoServer, type DemoServer } from './harness.js';

const project = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `npm start` as a page on another site (or a DNS-rebinding one) would try it: it serves the
 * demo's pages and the package's browser code and nothing else of the project, answers its own host
 * name only, and its sandbox controls take no cross-site request.
 */
describe('demo server', () => {
  let demo: DemoServer;
  let port: string;
  before(async () => {
    demo = await startDemoServer();
    port = new URL(demo.url).port;
  });
  after(() => demo.stop());

  /** A raw request, so the path and the Host go out exactly as written. */
  function raw(path: string, { method = 'GET', host = `localhost:${port}`, headers = {}, body = '' } = {}) {
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const outgoing = request({ host: '127.0.0.1', port, path, method, headers: { host, ...headers } }, (incoming) => {
        let text = '';
        incoming.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        incoming.on('end', () => resolve({ status: incoming.statusCode!, text }));
      });
      outgoing.on('error', reject).end(body);
    });
  }

  it('serves the demo pages and the browser code they load', async () => {
    for (const path of [
      '/',
      '/index.html',
      '/shop.html',
      '/pos.ts',
      '/amazonpay-dqr.min.js',
      `/@fs${project}src/define.ts`,
    ]) {
      assert.equal((await raw(path)).status, 200, path);
    }
  });

  it('serves nothing else of the project, through /@fs/ or otherwise', async () => {
    const paths = [
      `/@fs${project}package.json`,
      `/@fs${project}.git/config`,
      `/@fs${project}src/server/config/amazon-pay.ts`,
      `/@fs${project}src/../package.json`,
      `/@fs${project}src/%2e%2e/scripts/start.ts`,
      `/@fs${project}test/server/support/redis.ts`,
      '/@fs/etc/passwd',
      '/package.json',
      '/../package.json',
      '/%2e%2e/README.md',
      '/node_modules/.package-lock.json',
      '/src/server/main.ts',
    ];
    for (const path of paths) {
      const answer = await raw(path);
      assert.equal(answer.status, 404, `${path}: ${answer.text.slice(0, 80)}`);
    }
  });

  it('refuses a Host other than its own, for the pages, the backend and the sandbox', async () => {
    for (const path of ['/index.html', '/api/dqr/qr/ORD-1', '/sandbox/control/orders']) {
      assert.equal((await raw(path, { host: `rebind.example:${port}` })).status, 421, path);
      assert.equal((await raw(path, { host: 'localhost' })).status, 421, path);
    }
  });

  it('pays an order only for a same-origin JSON request, never for a cross-site form', async () => {
    const created = await fetch(`${demo.url}/api/dqr/qr`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: 'DEMO-CSRF-1', amount: '4999.00', currency: 'INR', expiresIn: 120 }),
    });
    assert.equal(created.status, 201);
    const pay = '/sandbox/control/orders/DEMO-CSRF-1/pay';
    const form = { 'content-type': 'text/plain', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    assert.equal((await raw(pay, { method: 'POST', headers: form, body: '{}' })).status, 403);
    const plain = { 'content-type': 'text/plain' };
    assert.equal((await raw(pay, { method: 'POST', headers: plain, body: '{}' })).status, 415);
    const status = await (await fetch(`${demo.url}/api/dqr/qr/DEMO-CSRF-1`)).json();
    assert.equal((status as { status: string }).status, 'pending');
  });
});
