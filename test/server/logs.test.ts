import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { AmazonPayError } from '../../src/server/amazon-pay/types.js';
import { createApp } from '../../src/server/app.js';
import { createMemoryStore } from '../../src/server/backend/store.js';
import { ConfigError, loadConfig, SANDBOX_CREDENTIALS } from '../../src/server/config/index.js';
import { createLogger } from '../../src/server/log.js';
import { loadOptionalPeer } from '../../src/server/optional-peer.js';
import { startHttpApp, qrTerms, type HttpApp } from './support/http-app.js';
import { freePort } from './support/redis.js';
import { tokensFile } from './support/terminal-tokens.js';

type Line = Record<string, unknown>;
const requestLines = (server: HttpApp) => server.logged.filter((line) => line.route !== undefined);

describe('logs: one line per contract request', () => {
  let server: HttpApp;
  before(async () => (server = await startHttpApp()));
  after(() => server.close());

  it('names the route, status, duration, order, terminal and request id, and returns the id', async () => {
    const created = await server.call('POST', '/qr', qrTerms('L-1', { terminalId: 'till-7' }), {
      'x-request-id': 'pos-42.till-7',
    });
    assert.equal(created.headers.get('x-request-id'), 'pos-42.till-7');
    const held = server.call('GET', '/qr/L-1?wait=30', undefined, { 'x-request-id': 'not an id; <script>' });
    server.sandbox.pay('L-1');
    const polled = await held;
    const generated = polled.headers.get('x-request-id')!;
    assert.match(generated, /^[0-9a-f-]{36}$/, 'an unusable id is replaced, never echoed');
    await server.call('GET', '/qr/NOBODY');
    await server.call('GET', '/nowhere');

    const lines = requestLines(server);
    const create = lines.find((line) => line.requestId === 'pos-42.till-7')!;
    const poll = lines.find((line) => line.requestId === generated)!;
    const missing = lines.find((line) => line.orderId === 'NOBODY')!;
    const unknown = lines.find((line) => line.route === 'unknown')!;
    assert.deepEqual(
      { ...create, time: undefined, durationMs: undefined },
      {
        level: 30,
        time: undefined,
        name: 'amazonpay-dqr',
        requestId: 'pos-42.till-7',
        method: 'POST',
        route: 'POST /qr',
        status: 201,
        durationMs: undefined,
        orderId: 'L-1',
        terminalId: 'till-7',
        msg: 'POST /qr 201',
      },
    );
    assert.equal(typeof create.durationMs, 'number');
    assert.deepEqual(
      [poll.route, poll.status, poll.orderId, poll.terminalId, poll.wait, poll.requestId],
      ['GET /qr/:orderId', 200, 'L-1', 'till-7', 30, generated],
    );
    assert.deepEqual([missing.route, missing.status, missing.orderId], ['GET /qr/:orderId', 404, 'NOBODY']);
    assert.deepEqual([unknown.route, unknown.status, unknown.msg], ['unknown', 404, 'GET /api/dqr/nowhere 404']);
  });
});

describe('logs: failures with what caused them', () => {
  let server: HttpApp;
  before(async () => (server = await startHttpApp()));
  after(() => server.close());

  it('logs a 5xx from Amazon Pay as the request line and a failure line, and tells onError', async () => {
    server.sandbox.faults.set({ status: 503 });
    const failed = await server.call('POST', '/qr', qrTerms('F-1'));
    assert.equal(failed.status, 503);
    const [failure] = server.logged.filter((line) => line.err !== undefined);
    assert.equal(failure.level, 40, 'a failure that is retried is a warning');
    assert.equal(failure.context, 'POST /api/dqr/qr');
    assert.equal(failure.orderId, 'F-1');
    assert.equal((failure.err as Line).type, 'AmazonPayError');
    assert.equal((failure.err as Line).status, 503);
    assert.equal(requestLines(server).at(-1)!.level, 50, 'the request line of a 5xx is an error');
    assert.equal(server.errors.length, 1);
  });
});

describe('logs: one line per Amazon Pay call', () => {
  let server: HttpApp;
  before(async () => (server = await startHttpApp()));
  after(() => server.close());

  const callLines = (orderId: string) =>
    server.logged.filter((line) => line.amazonPay !== undefined && line.orderId === orderId && line.err === undefined);

  it("names the call, Amazon's status and request id, the time and the retry", async () => {
    await server.call('POST', '/qr', qrTerms('A-1'));
    const [generated] = callLines('A-1');
    assert.deepEqual(
      { ...(generated.amazonPay as Line), requestId: typeof (generated.amazonPay as Line).requestId },
      { call: 'generateQr', status: '200', requestId: 'string', retry: 0 },
    );
    assert.equal(generated.msg, 'Amazon Pay generateQr 200');
    assert.equal(typeof generated.durationMs, 'number');
  });

  it('logs each retry of a failing status check, and the failure keeps the last request id', async () => {
    await server.call('POST', '/qr', qrTerms('A-2'));
    // Past the expiry the request checks with Amazon, and so does the job that settles the order:
    // each run of retries fails, whether they share one run or make one each.
    server.sandbox.faults.set({ status: 503, count: 6 });
    server.clock.advance(121_000);
    const answer = await server.call('GET', '/qr/A-2');
    assert.equal(answer.status, 503);
    const checks = callLines('A-2').filter((line) => (line.amazonPay as Line).call === 'getStatus');
    const runs = checks.map((line) => [(line.amazonPay as Line).status, (line.amazonPay as Line).retry]);
    assert.ok(runs.length === 3 || runs.length === 6, JSON.stringify(runs));
    for (let start = 0; start < runs.length; start += 3) {
      assert.deepEqual(runs.slice(start, start + 3), [
        ['503', 0],
        ['503', 1],
        ['503', 2],
      ]);
    }
    const failure = server.logged.find(
      (line) => line.err !== undefined && line.orderId === 'A-2' && line.context === 'GET /api/dqr/qr/A-2',
    )!;
    assert.equal((failure.amazonPay as Line).status, 503);
    const lastOfRuns = checks.filter((line) => (line.amazonPay as Line).retry === 2);
    assert.ok(lastOfRuns.some((line) => (line.amazonPay as Line).requestId === (failure.amazonPay as Line).requestId));
  });
});

describe('logs: Amazon Pay unreachable', () => {
  it('logs the request, each call and the failure with the network error under it, and tells onError', async () => {
    const tokens = tokensFile([{ terminalId: 'till-1', storeId: 'STORE-1' }]);
    const logged: Line[] = [];
    const errors: unknown[] = [];
    const config = loadConfig({
      AMAZON_PAY_MODE: 'production',
      AMAZON_PAY_MERCHANT_ID: 'A1MERCHANT',
      AMAZON_PAY_ACCESS_KEY_ID: 'AKLIVE',
      AMAZON_PAY_SECRET_KEY: 'live-secret',
      AMAZON_PAY_STORE_ID: 'STORE-1',
      AMAZON_PAY_BASE_URL: `https://127.0.0.1:${await freePort()}`,
      AMAZON_PAY_SNS_TOPIC_ARNS: 'arn:aws:sns:eu-west-1:123456789012:amazon-pay',
      DQR_TERMINAL_TOKENS_FILE: tokens.file,
    });
    const app = await createApp(config, {
      origin: 'https://pay.example.com',
      backend: {
        logger: createLogger({ destination: { write: (line: string) => void logged.push(JSON.parse(line)) } }),
        onError: (error) => errors.push(error),
        store: createMemoryStore(),
      },
    });
    try {
      const answer = await app.fetch(
        new Request('https://pay.example.com/api/dqr/qr', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...tokens.as('till-1') },
          body: JSON.stringify(qrTerms('U-1')),
        }),
      );
      assert.equal(answer.status, 503);
      const call = logged.find((line) => (line.amazonPay as Line | undefined)?.call === 'generateQr')!;
      assert.equal((call.amazonPay as Line).status, 'network');
      const failure = logged.find((line) => line.err !== undefined)!;
      assert.equal(failure.level, 40);
      const chain = JSON.stringify(failure.err);
      assert.match(chain, /ECONNREFUSED/, 'the cause chain reaches the refused connection');
      assert.equal(logged.find((line) => line.route === 'POST /qr')!.status, 503);
      assert.equal(errors.length, 1);
      assert.ok(errors[0] instanceof AmazonPayError && errors[0].cause instanceof Error);
    } finally {
      await app.close();
    }
  });
});

describe('logs: never a key, a token or a QR', () => {
  it('keeps secrets and payable QRs out of every line, even at trace level', async () => {
    const tokens = tokensFile([{ terminalId: 'till-1', storeId: 'STORE-1' }]);
    const server = await startHttpApp({ DQR_TERMINAL_TOKENS_FILE: tokens.file, LOG_LEVEL: 'trace' });
    try {
      const as = tokens.as('till-1');
      const created = await server.call('POST', '/qr', qrTerms('S-1', { formats: ['string', 'image'] }), as);
      assert.equal(created.status, 201);
      await server.call('POST', '/qr', qrTerms('S-2'), as);
      server.sandbox.pay('S-1');
      await server.sandbox.settled();
      await server.call('GET', '/qr/S-1?wait=1', undefined, as);
      await server.call('POST', '/qr/S-2/cancel', { reason: 'USER_CANCELLATION', refund: true }, as);
      await server.call('GET', '/qr/S-1', undefined, { authorization: 'Bearer dqr_wrong-token' });
      server.sandbox.faults.set({ status: 500 });
      await server.call('POST', '/qr', qrTerms('S-3'), as);

      const text = server.logged.map((line) => JSON.stringify(line)).join('\n');
      assert.ok(requestLines(server).length >= 6);
      for (const secret of [
        tokens.token('till-1'),
        'dqr_wrong-token',
        SANDBOX_CREDENTIALS.secretKey,
        created.body.qrString as string,
        (created.body.qrImage as string).slice(0, 64),
        new URL(created.body.qrString as string).searchParams.get('tr')!,
      ]) {
        assert.ok(!text.includes(secret), `the log holds ${secret.slice(0, 24)}…`);
      }
    } finally {
      await server.close();
    }
  });
});

describe('logs: readable in development', () => {
  it('writes lines for a person with LOG_FORMAT=pretty, fields and all', () => {
    let text = '';
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const logger = createLogger({ format: 'pretty', destination });
    logger.info({ route: 'POST /qr', status: 201, orderId: 'P-1', secretKey: 'sk-123' }, 'POST /qr 201');
    assert.match(text, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: POST \/qr 201\n/);
    assert.match(text, /orderId: "P-1"/);
    assert.doesNotMatch(text, /sk-123/);
    assert.doesNotMatch(text, /^\{/m, 'no JSON lines');
  });

  it('says what to install when an optional package is missing', () => {
    assert.throws(
      () => loadOptionalPeer('amazonpay-dqr-no-such-package', 'amazonpay-dqr-no-such-package@1', 'LOG_FORMAT=pretty'),
      (error) =>
        error instanceof ConfigError &&
        error.problems[0] ===
          'LOG_FORMAT=pretty needs the amazonpay-dqr-no-such-package package, an optional peer dependency of amazonpay-dqr: npm install amazonpay-dqr-no-such-package@1',
    );
  });
});
