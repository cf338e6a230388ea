import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAmazonPayClient } from '../../src/server/amazon-pay/client.js';
import { proxiedFetch } from '../../src/server/amazon-pay/proxy.js';
import { AmazonPayError } from '../../src/server/amazon-pay/types.js';
import { createApp } from '../../src/server/app.js';
import { createMemoryStore } from '../../src/server/backend/store.js';
import { ConfigError, loadConfig } from '../../src/server/config/index.js';
import { createLogger } from '../../src/server/log.js';
import { connectProxy } from './support/connect-proxy.js';
import { MERCHANT, STORE, sandboxOverHttp } from './support/sandbox-server.js';
import { tokensFile } from './support/terminal-tokens.js';

const production = () => ({
  AMAZON_PAY_MODE: 'production',
  AMAZON_PAY_MERCHANT_ID: MERCHANT.merchantId,
  AMAZON_PAY_ACCESS_KEY_ID: MERCHANT.accessKeyId,
  AMAZON_PAY_SECRET_KEY: MERCHANT.secretKey,
  AMAZON_PAY_STORE_ID: STORE.storeId,
  AMAZON_PAY_SNS_TOPIC_ARNS: 'arn:aws:sns:eu-west-1:123456789012:amazon-pay',
  DQR_TERMINAL_TOKENS_FILE: tokensFile([{ terminalId: 'till-1', storeId: STORE.storeId }]).file,
});

/** A signed client of the sandbox `env` whose calls go through the proxy at `proxyUrl`. */
function clientThrough(proxyUrl: string, env: { baseUrl: string; now: () => number }) {
  return createAmazonPayClient({
    ...MERCHANT,
    ...STORE,
    baseUrl: env.baseUrl,
    now: env.now,
    fetch: proxiedFetch(proxyUrl),
  });
}

describe('calls to Amazon through an HTTP proxy', () => {
  it('tunnels every signed call through the proxy, which sees host names only', async () => {
    const proxy = await connectProxy();
    const env = await sandboxOverHttp();
    try {
      const client = clientThrough(proxy.url, env);
      const expiresAt = new Date(env.now() + 120_000);
      await client.generateQr({ orderId: 'PROXY-1', amount: '10.00', expiresAt, distributionTypes: ['QR_STRING'] });
      assert.equal((await client.getStatus('PROXY-1')).status, 'PENDING');
      assert.ok(proxy.tunnels.length >= 1);
      assert.ok(proxy.tunnels.every((target) => target === new URL(env.baseUrl).host));
      assert.deepEqual(proxy.plain, []);
    } finally {
      await env.close();
      await proxy.close();
    }
  });

  it('reports a proxy that refuses as Amazon Pay unreachable, with the refusal as its cause', async () => {
    const proxy = await connectProxy({ refuse: true });
    const env = await sandboxOverHttp();
    try {
      const client = clientThrough(proxy.url, env);
      const expiresAt = new Date(env.now() + 120_000);
      await assert.rejects(
        client.generateQr({ orderId: 'PROXY-2', amount: '10.00', expiresAt, distributionTypes: ['QR_STRING'] }),
        (error) =>
          error instanceof AmazonPayError &&
          error.kind === 'network' &&
          error.retryable &&
          error.cause instanceof Error,
      );
      assert.equal(env.sandbox.calls.generateQr, 0);
    } finally {
      await env.close();
      await proxy.close();
    }
  });

  it("sends a production server's calls to Amazon Pay and to AWS SNS through AMAZON_PAY_PROXY_URL_FILE", async () => {
    const proxy = await connectProxy({ refuse: true });
    const file = join(mkdtempSync(join(tmpdir(), 'dqr-proxy-')), 'proxy-url');
    writeFileSync(file, `${proxy.url}\n`);
    const tokens = tokensFile([{ terminalId: 'till-1', storeId: STORE.storeId }]);
    const env = { ...production(), DQR_TERMINAL_TOKENS_FILE: tokens.file, AMAZON_PAY_PROXY_URL_FILE: file };
    const app = await createApp(loadConfig(env), {
      origin: 'https://pay.example.com',
      backend: { logger: createLogger({ level: 'silent' }), store: createMemoryStore() },
    });
    try {
      const created = await app.fetch(
        new Request('https://pay.example.com/api/dqr/qr', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...tokens.as('till-1') },
          body: JSON.stringify({ orderId: 'PROXY-3', amount: '10.00', currency: 'INR', expiresIn: 120 }),
        }),
      );
      assert.equal(created.status, 503);
      const envelope = {
        Type: 'Notification',
        MessageId: 'proxy-1',
        TopicArn: env.AMAZON_PAY_SNS_TOPIC_ARNS,
        Message: '{"merchantOrderId":"PROXY-3"}',
        Timestamp: new Date().toISOString(),
        SignatureVersion: '2',
        Signature: 'c2lnbmF0dXJl',
        SigningCertURL: `https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-${'0'.repeat(32)}.pem`,
      };
      const notified = await app.fetch(
        new Request('https://pay.example.com/api/dqr/ipn', { method: 'POST', body: JSON.stringify(envelope) }),
      );
      assert.equal(notified.status, 503, 'the certificate could not be fetched: SNS is asked to deliver again');
      assert.deepEqual([...new Set(proxy.tunnels)].sort(), [
        'amazonpay.amazon.in:443',
        'sns.eu-west-1.amazonaws.com:443',
      ]);
    } finally {
      await app.close();
      await proxy.close();
    }
  });

  it('refuses a proxy setting that is not an http(s) URL, without repeating it', () => {
    assert.throws(
      () => loadConfig({ ...production(), AMAZON_PAY_PROXY_URL: 'socks5://user:hunter2@proxy:1080' }),
      (error) =>
        error instanceof ConfigError &&
        error.message.includes('AMAZON_PAY_PROXY_URL must be an http(s) URL') &&
        !error.message.includes('hunter2'),
    );
  });
});
