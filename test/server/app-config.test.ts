import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig, SANDBOX_CREDENTIALS } from '../../src/server/config/index.js';
import { PRODUCTION_CREDENTIALS as PRODUCTION } from './support/production-env.js';

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
      ...PRODUCTION,
      AMAZON_PAY_AUTH_SEPARATOR: 'space',
      AMAZON_PAY_TIMEOUT_MS: '5000',
      DQR_BASE_PATH: '/pay',
      DQR_CORS_ORIGINS: 'https://a.example, https://b.example',
      DQR_PUBLIC_URL: 'https://pay.example/',
      DQR_STATUS_SCHEDULE: '1,2.5',
      PORT: '0',
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

  it('serves production metrics beyond loopback only behind the token', () => {
    const production = { ...PRODUCTION, DQR_METRICS_PORT: '9464' };
    const open = { ...production, DQR_METRICS_HOST: '10.0.1.11' };
    assert.throws(
      () => loadConfig(open),
      /DQR_METRICS_HOST=10\.0\.1\.11 serves the metrics to whoever reaches port 9464/,
    );
    assert.equal(loadConfig({ ...open, DQR_METRICS_TOKEN: 'c0ffee'.repeat(8) }).metrics.host, '10.0.1.11');
    for (const host of ['127.0.0.1', '127.0.0.53', '::1', 'localhost']) {
      assert.equal(loadConfig({ ...production, DQR_METRICS_HOST: host }).metrics.host, host);
    }
    assert.equal(loadConfig({ DQR_METRICS_PORT: '9464', DQR_METRICS_HOST: '0.0.0.0' }).mode, 'sandbox');
  });

  it('refuses an SNS topic that is not an ARN', () => {
    assert.throws(() => loadConfig({ AMAZON_PAY_SNS_TOPIC_ARNS: 'amazon-pay' }), /amazon-pay is not an SNS topic ARN/);
  });

  it("defaults the disputed points and the signed headers to Amazon's documented values", () => {
    const { amazonPay } = loadConfig({});
    assert.equal(amazonPay.expiryField, 'expiryTimeStamp');
    assert.deepEqual(amazonPay.getVerification, ['GET', 'POST', 'GET+query', 'POST+query']);
    assert.deepEqual(
      [amazonPay.userAgent, amazonPay.sourceIp, amazonPay.signatureTtlSeconds, amazonPay.authorizationSeparator],
      ['POS', '127.0.0.1', 900, '+'],
    );
    assert.deepEqual(
      [amazonPay.cancelNote, amazonPay.refundNote, amazonPay.softDescriptor],
      ['Payment cancelled at the counter', 'Refund of a late payment', 'Late payment'],
    );
  });

  it("reads the disputed points, the headers and the customer's notes in the merchant's language", () => {
    const { amazonPay } = loadConfig({
      AMAZON_PAY_EXPIRY_FIELD: 'expiryTimestamp',
      AMAZON_PAY_GET_VERIFY: 'POST, GET+query',
      AMAZON_PAY_USER_AGENT: 'KIOSK-7',
      AMAZON_PAY_USER_IP: '2001:db8::7',
      AMAZON_PAY_SIGNATURE_EXPIRES: '300',
      AMAZON_PAY_CANCEL_NOTE: 'काउंटर पर भुगतान रद्द किया गया',
      AMAZON_PAY_REFUND_NOTE: 'தாமதமாக வந்த கட்டணம் திருப்பி அளிக்கப்பட்டது',
      AMAZON_PAY_SOFT_DESCRIPTOR: 'ದೇರಿ ಪಾವತಿ',
    });
    assert.equal(amazonPay.expiryField, 'expiryTimestamp');
    assert.deepEqual(amazonPay.getVerification, ['POST', 'GET+query']);
    assert.deepEqual(
      [amazonPay.userAgent, amazonPay.sourceIp, amazonPay.signatureTtlSeconds],
      ['KIOSK-7', '2001:db8::7', 300],
    );
    assert.equal(amazonPay.cancelNote, 'काउंटर पर भुगतान रद्द किया गया');
    assert.equal(amazonPay.softDescriptor, 'ದೇರಿ ಪಾವತಿ');
    assert.deepEqual(loadConfig({ AMAZON_PAY_GET_VERIFY: 'auto' }).amazonPay.getVerification.length, 4);
  });

  it("refuses every setting outside Amazon's limits, all at once", () => {
    assert.throws(
      () =>
        loadConfig({
          AMAZON_PAY_EXPIRY_FIELD: 'expiry',
          AMAZON_PAY_GET_VERIFY: 'GET,PUT',
          AMAZON_PAY_USER_AGENT: 'my kiosk',
          AMAZON_PAY_USER_IP: '10.0.0',
          AMAZON_PAY_SIGNATURE_EXPIRES: '5',
          AMAZON_PAY_CANCEL_NOTE: 'n'.repeat(101),
          AMAZON_PAY_REFUND_NOTE: 'rtl\u202eevil',
          AMAZON_PAY_SOFT_DESCRIPTOR: 'bell\u0007',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(
          error.problems.map((problem) => problem.split(' ')[0]),
          [
            'AMAZON_PAY_USER_AGENT',
            'AMAZON_PAY_USER_IP',
            'AMAZON_PAY_SIGNATURE_EXPIRES',
            'AMAZON_PAY_EXPIRY_FIELD',
            'AMAZON_PAY_GET_VERIFY',
            'AMAZON_PAY_CANCEL_NOTE',
            'AMAZON_PAY_REFUND_NOTE',
            'AMAZON_PAY_SOFT_DESCRIPTOR',
          ],
        );
        assert.match(error.message, /AMAZON_PAY_CANCEL_NOTE must be at most 100 characters \(it has 101\)/);
        return true;
      },
    );
  });
});
