import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config/index.js';
import { createLogger } from '../../src/server/log.js';
import { serve } from '../../src/server/node-adapter.js';
import { assertMatchesOpenApi } from './support/openapi.js';

/**
 * The whole server as `npm run backend` runs it in sandbox mode: the backend signs real calls to the
 * Amazon Pay emulator over loopback HTTP, and the emulator's IPN comes back signed by SNS rules.
 */
async function startApp(env: Record<string, string> = {}) {
  let origin = '';
  const app = await createApp(
    loadConfig({ DQR_STORE: 'memory', DQR_STATUS_SCHEDULE: '0.05', LOG_LEVEL: 'silent', ...env }),
    {
      origin: () => origin,
      backend: { onError: () => undefined, logger: createLogger({ level: 'silent' }) },
    },
  );
  const server = await serve(app.fetch, { port: 0, host: '127.0.0.1' });
  origin = server.url;
  const post = (path: string, body: unknown) =>
    fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return {
    origin,
    post,
    async close() {
      await app.close();
      await server.close();
    },
  };
}

describe('app in sandbox mode', () => {
  it('creates a signed QR, and a payment wakes the long poll through the signed IPN', async () => {
    const { origin, post, close } = await startApp();
    try {
      const created = await post('/api/dqr/qr', {
        orderId: 'APP-1',
        amount: '249.00',
        currency: 'INR',
        expiresIn: 120,
      });
      const view = (await created.json()) as { qrString: string };
      assert.equal(created.status, 201);
      assertMatchesOpenApi('/qr', 'POST', 201, view);
      assert.match(view.qrString, /^upi:\/\/pay\?.*am=249\.00/);
      const waiting = fetch(`${origin}/api/dqr/qr/APP-1?wait=10`);
      const started = Date.now();
      assert.equal((await post('/sandbox/control/orders/APP-1/pay', {})).status, 200);
      const answer = await waiting;
      const paid = (await answer.json()) as { status: string; amazonChargeId?: string };
      assertMatchesOpenApi('/qr/{orderId}', 'GET', 200, paid);
      assert.equal(paid.status, 'paid');
      assert.ok(paid.amazonChargeId);
      assert.ok(Date.now() - started < 2000);
    } finally {
      await close();
    }
  });

  it('finds a payment by polling when the IPN is dropped', async () => {
    const { origin, post, close } = await startApp();
    try {
      await post('/api/dqr/qr', { orderId: 'APP-2', amount: '10.00', currency: 'INR', expiresIn: 120 });
      const waiting = fetch(`${origin}/api/dqr/qr/APP-2?wait=10`);
      await post('/sandbox/control/orders/APP-2/pay', { notify: false });
      assert.equal(((await (await waiting).json()) as { status: string }).status, 'paid');
    } finally {
      await close();
    }
  });

  it('answers 404 JSON outside the backend and the sandbox', async () => {
    const { origin, close } = await startApp();
    try {
      const response = await fetch(`${origin}/elsewhere`);
      assert.equal(response.status, 404);
      assert.equal(((await response.json()) as { code: string }).code, 'NOT_FOUND');
    } finally {
      await close();
    }
  });
});

describe('npm run backend', () => {
  it('exits 1 with the ConfigError message in production without credentials', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: { PATH: process.env.PATH, AMAZON_PAY_MODE: 'production' },
      encoding: 'utf8',
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /AMAZON_PAY_MERCHANT_ID is required in production mode/);
  });
});
