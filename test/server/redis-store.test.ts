import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AmazonPayError, type AmazonPayClient } from '../../src/server/amazon-pay/types.js';
import { createBackend } from '../../src/server/backend/index.js';
import { StoreUnavailableError } from '../../src/server/backend/store.js';
import { connectRedis, type RedisConnection } from '../../src/server/store/redis-connection.js';
import { createRedisStore } from '../../src/server/store/redis-store.js';
import { shareUpstreamCalls } from '../../src/server/store/redis-upstream-lock.js';
import { createFakeAmazonPay } from './support/fake-amazon-pay.js';
import { freePort, redisForTest, redisSkipReason } from './support/redis.js';
import { CONTRACT_NOW, storedOrder } from './support/store-contract.js';

const skip = await redisSkipReason();
const HOUR = 60 * 60 * 1000;

/** An upstream whose Get-status answers wait until the test opens the gate; counts real calls. */
function gatedAmazonPay() {
  const fake = createFakeAmazonPay();
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const client: AmazonPayClient = {
    ...fake,
    async getStatus(orderId, signal) {
      await gate;
      return fake.getStatus(orderId, signal);
    },
  };
  return { fake, client, open };
}

/** Resolves once `count` calls are waiting for another instance's answer. */
function waitersOf(count: number) {
  let seen = 0;
  let resolve: () => void = () => undefined;
  const all = new Promise<void>((done) => (resolve = done));
  return { all, onWait: () => ++seen === count && resolve() };
}

describe('redis store', { skip }, () => {
  const redis = redisForTest();
  let connection: RedisConnection;
  before(async () => (connection = await redis.connect()));
  after(() => redis.close());

  it('keeps a pending order until its expiry plus the retention, a finished one for the retention', async () => {
    const store = createRedisStore(connection, { retentionMs: HOUR, now: () => CONTRACT_NOW });
    const ttl = () => connection.run((client) => client.pTTL(`${redis.prefix}order:TTL-1`));
    await store.create(storedOrder('TTL-1'));
    const pending = await ttl();
    assert.ok(pending > HOUR + 110_000 && pending <= HOUR + 120_000, `pending TTL ${pending}`);
    await store.update('TTL-1', (current) => ({ ...current, status: 'paid' }));
    const paid = await ttl();
    assert.ok(paid > HOUR - 10_000 && paid <= HOUR, `paid TTL ${paid}`);
  });
});

describe('redis upstream lock', { skip, timeout: 10_000 }, () => {
  const redis = redisForTest();
  after(() => redis.close());

  it('asks Amazon once when three instances check one order at once, and all get its answer', async () => {
    const upstream = gatedAmazonPay();
    upstream.fake.status.set('L-1', { status: 'SUCCESS', amazonChargeId: 'CH-1' });
    const waiters = waitersOf(2);
    const instances = await Promise.all(
      [0, 1, 2].map(async () => shareUpstreamCalls(upstream.client, await redis.connect(), waiters)),
    );
    const answers = instances.map((client) => client.getStatus('L-1'));
    await waiters.all;
    upstream.open();
    for (const answer of await Promise.all(answers)) {
      assert.deepEqual(answer, { merchantOrderId: 'L-1', status: 'SUCCESS', amazonChargeId: 'CH-1' });
    }
    assert.deepEqual(upstream.fake.calls.getStatus, ['L-1']);
  });

  it('never reuses an answer for a check that starts after it came', async () => {
    const fake = createFakeAmazonPay();
    const client = shareUpstreamCalls(fake, await redis.connect());
    assert.equal((await client.getStatus('L-2')).status, 'PENDING');
    fake.status.set('L-2', { status: 'SUCCESS' });
    assert.equal((await client.getStatus('L-2')).status, 'SUCCESS');
    assert.equal(fake.calls.getStatus.length, 2);
  });

  it('lets a waiting instance ask Amazon itself when the holder failed', async () => {
    const upstream = gatedAmazonPay();
    upstream.fake.failNext('getStatus', new AmazonPayError('network', 'NetworkError', 'socket hang up'));
    const waiters = waitersOf(1);
    const [first, second] = [
      shareUpstreamCalls(upstream.client, await redis.connect(), waiters),
      shareUpstreamCalls(upstream.client, await redis.connect(), waiters),
    ];
    const failed = first.getStatus('L-3');
    const answered = second.getStatus('L-3');
    await waiters.all;
    upstream.open();
    await assert.rejects(failed, AmazonPayError);
    assert.equal((await answered).status, 'PENDING');
    assert.equal(upstream.fake.calls.getStatus.length, 2);
  });

  it('takes over the lock of an instance that died holding it once the lock expires', async () => {
    const fake = createFakeAmazonPay();
    const connection = await redis.connect();
    await connection.run((client) =>
      client.set(`${redis.prefix}lock:cancel:L-4`, 'dead-instance', { expiration: { type: 'PX', value: 150 } }),
    );
    const client = shareUpstreamCalls(fake, connection, { lockMs: 150 });
    const result = await client.cancel({ orderId: 'L-4', reason: 'USER_CANCELLATION', refund: true });
    assert.equal(result.status, 'Approved');
    assert.equal(fake.calls.cancel.length, 1);
  });
});

describe('redis unreachable', () => {
  it('fails each request at once with a retryable 503 and never asks Amazon for a QR it cannot keep', async () => {
    const connection = connectRedis({
      url: `redis://127.0.0.1:${await freePort()}`,
      commandTimeoutMs: 200,
      onError: () => undefined,
    });
    const store = createRedisStore(connection);
    await assert.rejects(store.get('DOWN-1'), StoreUnavailableError);
    const fake = createFakeAmazonPay();
    const backend = createBackend({
      client: shareUpstreamCalls(fake, connection),
      store,
      mode: 'sandbox',
      onError: () => undefined,
    });
    const ask = (path: string, body?: unknown) =>
      backend.fetch(
        new Request(
          `http://shop.test/api/dqr${path}`,
          body ? { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {},
        ),
      );
    for (const response of [
      await ask('/qr', { orderId: 'DOWN-1', amount: '10.00', currency: 'INR', expiresIn: 120 }),
      await ask('/qr/DOWN-1?wait=5'),
      await ask('/qr/DOWN-1/cancel', { reason: 'USER_CANCELLATION', refund: true }),
    ]) {
      assert.equal(response.status, 503);
      const body = (await response.json()) as { code: string; message: string };
      assert.equal(body.code, 'UPSTREAM_UNAVAILABLE');
      assert.match(body.message, /order store \(Redis\) could not be reached/);
    }
    assert.equal(fake.calls.generateQr.length, 0);
    await backend.close();
    await connection.close();
  });
});
