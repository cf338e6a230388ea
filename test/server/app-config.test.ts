import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig, SANDBOX_CREDENTIALS } from '../../src/server/config/index.js';

/** The environment as the only source of configuration: sandbox needs nothing, production refuses to guess. */
describe('configuration', () => {
  it('needs nothing in sandbox mode', () => {
    const config = loadConfig({});
    assert.equal(config.mode, 'sandbox');
    assert.equal(config.amazonPay.merchantId, SANDBOX_CREDENTIALS.merchantId);
    assert.deepEqual([config.basePath, config.port, config.host], ['/api/dqr', 8787, '127.0.0.1']);
    assert.deepEqual(config.statusScheduleSeconds, [15, 25, 30, 35, 40, 45, 50, 55]);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      AMAZON_PAY_MODE: 'production',
      AMAZON_PAY_MERCHANT_ID: 'MID',
      AMAZON_PAY_ACCESS_KEY_ID: 'KEY',
      AMAZON_PAY_SECRET_KEY: 'SECRET',
      AMAZON_PAY_STORE_ID: 'STORE',
      AMAZON_PAY_AUTH_SEPARATOR: 'space',
      AMAZON_PAY_TIMEOUT_MS: '5000',
      DQR_BASE_PATH: '/pay',
      DQR_CORS_ORIGINS: 'https://a.example, https://b.example',
      DQR_PUBLIC_URL: 'https://pay.example/',
      DQR_STATUS_SCHEDULE: '1,2.5',
      PORT: '0',
      AMAZON_PAY_SNS_TOPIC_ARNS: 'arn:aws:sns:eu-west-1:123456789012:amazon-pay',
      DQR_MAX_PENDING_ORDERS: '50',
      DQR_MAX_PENDING_PER_TERMINAL: '3',
      DQR_HEADERS_TIMEOUT_MS: '2000',
      DQR_REQUEST_TIMEOUT_MS: '4000',
      DQR_KEEP_ALIVE_TIMEOUT_MS: '65000',
    });
    assert.equal(config.amazonPay.authorizationSeparator, ' ');
    assert.equal(config.amazonPay.timeoutMs, 5000);
    assert.deepEqual(config.corsOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(config.publicUrl, 'https://pay.example');
    assert.deepEqual(config.statusScheduleSeconds, [1, 2.5]);
    assert.equal(config.port, 0);
    assert.deepEqual(config.security.snsTopicArns, ['arn:aws:sns:eu-west-1:123456789012:amazon-pay']);
    assert.deepEqual([config.security.maxPending, config.security.maxPendingPerTerminal], [50, 3]);
    assert.deepEqual(config.timeouts, { headersTimeoutMs: 2000, requestTimeoutMs: 4000, keepAliveTimeoutMs: 65000 });
  });

  it('lists every missing credential in production mode', () => {
    assert.throws(
      () => loadConfig({ AMAZON_PAY_MODE: 'production', PORT: 'x' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.length === 6 &&
        /AMAZON_PAY_SECRET_KEY is required/.test(error.message) &&
        /AMAZON_PAY_SNS_TOPIC_ARNS is required/.test(error.message),
    );
  });

  it('takes a mode said out loud, even beside real credentials', () => {
    const config = loadConfig({ AMAZON_PAY_MODE: 'sandbox', AMAZON_PAY_MERCHANT_ID: 'A1REAL', NODE_ENV: 'production' });
    assert.equal(config.mode, 'sandbox');
  });

  it('refuses timeouts whose headers outlast the request, and caps below one', () => {
    assert.throws(
      () => loadConfig({ DQR_HEADERS_TIMEOUT_MS: '5000', DQR_REQUEST_TIMEOUT_MS: '2000', DQR_MAX_PENDING_ORDERS: '0' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.length === 2 &&
        /DQR_HEADERS_TIMEOUT_MS must not be above DQR_REQUEST_TIMEOUT_MS/.test(error.message) &&
        /DQR_MAX_PENDING_ORDERS must be a whole number from 1/.test(error.message),
    );
  });

  it('refuses an SNS topic that is not an ARN', () => {
    assert.throws(() => loadConfig({ AMAZON_PAY_SNS_TOPIC_ARNS: 'amazon-pay' }), /amazon-pay is not an SNS topic ARN/);
  });
});
