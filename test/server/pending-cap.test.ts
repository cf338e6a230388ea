import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createBackend, type Backend } from '../../src/server/backend/index.js';
import { createLogger } from '../../src/server/log.js';
import { createRedisStore } from '../../src/server/store/redis-store.js';
import { createFakeAmazonPay } from './support/fake-amazon-pay.js';
import { qrTerms, startHttpApp, type HttpApp } from './support/http-app.js';
import { redisForTest, redisSkipReason } from './support/redis.js';
import { tokensFile } from './support/terminal-tokens.js';

const CANCEL = { reason: 'USER_CANCELLATION', refund: true };

/** Nobody, not even a terminal with a valid token, makes the backend hold QRs without end. */
describe('pending-order caps over HTTP', () => {
  const terminals = tokensFile([
    { terminalId: 'till-1', storeId: 'S1' },
    { terminalId: 'till-2', storeId: 'S1' },
    { terminalId: 'till-3', storeId: 'S1' },
  ]);
  const { as } = terminals;
  let server: HttpApp;
  before(async () => {
    server = await startHttpApp({
      DQR_TERMINAL_TOKENS_FILE: terminals.file,
      DQR_MAX_PENDING_PER_TERMINAL: '2',
      DQR_MAX_PENDING_ORDERS: '3',
    });
  });
  after(() => server.close());

  it('answers 429 with Retry-After past a terminal’s cap and past the cap in all, asking Amazon nothing', async () => {
    assert.equal((await server.call('POST', '/qr', qrTerms('P-1'), as('till-1'))).status, 201);
    server.clock.advance(30_000);
    assert.equal((await server.call('POST', '/qr', qrTerms('P-2'), as('till-1'))).status, 201);
    const generated = server.sandbox.calls.generateQr;
    const own = await server.call('POST', '/qr', qrTerms('P-3'), as('till-1'));
    assert.equal(own.status, 429);
    assert.equal(own.body.code, 'TOO_MANY_PENDING_ORDERS');
    assert.equal(own.headers.get('retry-after'), '90', 'P-1 expires in 90 s');
    assert.equal(
      (await server.call('POST', '/qr', qrTerms('P-1'), as('till-1'))).status,
      200,
      'a resume is no new order',
    );

    assert.equal((await server.call('POST', '/qr', qrTerms('P-4'), as('till-2'))).status, 201);
    const all = await server.call('POST', '/qr', qrTerms('P-5'), as('till-2'));
    assert.equal(all.status, 429);
    assert.match(String(all.body.message), /Too many QR codes/);
    assert.equal(server.sandbox.calls.generateQr, generated + 1);

    await server.call('POST', '/qr/P-1/cancel', CANCEL, as('till-1'));
    assert.equal((await server.call('POST', '/qr', qrTerms('P-3'), as('till-1'))).status, 201);
    server.clock.advance(121_000);
    assert.equal(
      (await server.call('POST', '/qr', qrTerms('P-6'), as('till-2'))).status,
      201,
      'expired QRs count no more',
    );
  });

  it('lets exactly the cap in when one terminal asks for many QRs at once', async () => {
    server.clock.advance(600_000);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, n) => server.call('POST', '/qr', qrTerms(`BURST-${n}`), as('till-3'))),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    assert.deepEqual(statuses, [201, 201, ...Array<number>(8).fill(429)]);
  });
});

describe('pending-order caps across instances and restarts', () => {
  it('counts what Redis holds: another instance, and one started later, refuse past the cap', async (t) => {
    const skip = await redisSkipReason();
    if (skip) return t.skip(skip);
    const redis = redisForTest();
    const terminals = tokensFile([{ terminalId: 'till-1', storeId: 'S1' }]);
    const backends: Backend[] = [];
    const instance = async () => {
      const backend = createBackend({
        client: createFakeAmazonPay(),
        store: createRedisStore(await redis.connect()),
        terminals: terminals.credentials,
        pendingLimits: { maxPendingPerTerminal: 2 },
        logger: createLogger({ level: 'silent' }),
      });
      backends.push(backend);
      return (method: string, path: string, body: unknown) =>
        backend
          .fetch(
            new Request(`http://shop.test/api/dqr${path}`, {
              method,
              headers: { 'content-type': 'application/json', ...terminals.as('till-1') },
              body: JSON.stringify(body),
            }),
          )
          .then((response) => response.status);
    };
    try {
      const [first, second] = [await instance(), await instance()];
      assert.equal(await first('POST', '/qr', qrTerms('R-1')), 201);
      assert.equal(await second('POST', '/qr', qrTerms('R-2')), 201);
      assert.equal(await first('POST', '/qr', qrTerms('R-3')), 429);
      assert.equal(await second('POST', '/qr', qrTerms('R-3')), 429);
      const restarted = await instance();
      assert.equal(await restarted('POST', '/qr', qrTerms('R-3')), 429);
      assert.equal(await second('POST', '/qr/R-1/cancel', CANCEL), 200);
      assert.equal(await restarted('POST', '/qr', qrTerms('R-3')), 201);
    } finally {
      for (const backend of backends) backend.close();
      await redis.close();
    }
  });
});
