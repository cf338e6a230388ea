import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAmazonPayClient } from '../../src/server/amazon-pay/client.js';
import { ConfigError, loadConfig } from '../../src/server/config/index.js';
import { startHttpApp } from './support/http-app.js';
import { scrape } from './support/prometheus.js';
import { MERCHANT, STORE, sandboxOverHttp } from './support/sandbox-server.js';
import { tokensFile } from './support/terminal-tokens.js';

/** A file in a fresh folder holding `contents`, as a mounted Docker or Kubernetes secret. */
function secretFile(contents: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'dqr-secret-')), 'secret');
  writeFileSync(file, contents, { mode: 0o600 });
  return file;
}

const production = () => ({
  AMAZON_PAY_MODE: 'production',
  AMAZON_PAY_MERCHANT_ID: MERCHANT.merchantId,
  AMAZON_PAY_STORE_ID: STORE.storeId,
  AMAZON_PAY_SNS_TOPIC_ARNS: 'arn:aws:sns:eu-west-1:123456789012:amazon-pay',
  DQR_TERMINAL_TOKENS_FILE: tokensFile([{ terminalId: 'till-1', storeId: STORE.storeId }]).file,
});

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('secrets from files', () => {
  it('signs with credentials read from files, trailing newline dropped, and Amazon Pay accepts them', async () => {
    const config = loadConfig({
      ...production(),
      AMAZON_PAY_ACCESS_KEY_ID_FILE: secretFile(`${MERCHANT.accessKeyId}\n`),
      AMAZON_PAY_SECRET_KEY_FILE: secretFile(`${MERCHANT.secretKey}\n`),
    });
    assert.equal(config.amazonPay.secretKey, MERCHANT.secretKey);
    const env = await sandboxOverHttp();
    try {
      const client = createAmazonPayClient({ ...config.amazonPay, baseUrl: env.baseUrl, now: env.now });
      const qr = await client.generateQr({
        orderId: 'FILE-1',
        amount: '10.00',
        expiresAt: new Date(env.now() + 120_000),
        distributionTypes: ['QR_STRING'],
      });
      assert.match(qr.qrString!, /^upi:\/\/pay\?/);
    } finally {
      await env.close();
    }
  });

  it('refuses a secret set twice, a file that cannot be read and an empty one, naming each', () => {
    const problems = problemsOf({
      ...production(),
      AMAZON_PAY_ACCESS_KEY_ID: MERCHANT.accessKeyId,
      AMAZON_PAY_ACCESS_KEY_ID_FILE: secretFile(MERCHANT.accessKeyId),
      AMAZON_PAY_SECRET_KEY_FILE: '/nonexistent/amazon-pay-secret',
      REDIS_URL_FILE: secretFile('\n'),
      DQR_STORE: 'redis',
    });
    assert.deepEqual(problems.slice(0, 3), [
      'AMAZON_PAY_ACCESS_KEY_ID and AMAZON_PAY_ACCESS_KEY_ID_FILE are both set: set one.',
      'AMAZON_PAY_SECRET_KEY_FILE /nonexistent/amazon-pay-secret cannot be read (ENOENT).',
      'AMAZON_PAY_SECRET_KEY is required in production mode.',
    ]);
    assert.ok(
      problems.some((problem) => /^REDIS_URL_FILE .* is empty\.$/.test(problem)),
      problems.join('\n'),
    );
  });

  it('takes a secret file without AMAZON_PAY_MODE for a sign of production, and asks which mode', () => {
    assert.deepEqual(problemsOf({ AMAZON_PAY_SECRET_KEY_FILE: secretFile('live-secret') }), [
      'AMAZON_PAY_MODE is not set but AMAZON_PAY_SECRET_KEY_FILE is: set AMAZON_PAY_MODE=production to take real payments, or AMAZON_PAY_MODE=sandbox for the emulator.',
    ]);
  });

  it('reads the metrics token from a file', async () => {
    const token = 'f00d'.repeat(10);
    const server = await startHttpApp({ DQR_METRICS_TOKEN_FILE: secretFile(`${token}\n`) });
    try {
      assert.ok((await scrape(`${server.origin}/metrics`, token)).has('dqr_qr_created_total'));
    } finally {
      await server.close();
    }
  });
});
