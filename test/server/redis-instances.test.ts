import { EventEmitter, once } from 'node:events';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OrderView } from '../../src/contract/types.js';
import type { AmazonPayClient } from '../../src/server/amazon-pay/types.js';
import { createBackend } from '../../src/server/backend/index.js';
import { createLogger } from '../../src/server/log.js';
import { serve } from '../../src/server/node-adapter.js';
import { TOPIC_ARN } from '../../src/server/sandbox/notifier.js';
import { StoreUnavailableError } from '../../src/server/backend/store.js';
import type { RedisConnection } from '../../src/server/store/redis-connection.js';
import { createRedisStore } from '../../src/server/store/redis-store.js';
import { shareUpstreamCalls } from '../../src/server/store/redis-upstream-lock.js';
import { ownRedisServer, redisForTest, redisSkipReason, REDIS_URL } from './support/redis.js';
import { sandboxOverHttp } from './support/sandbox-server.js';

const skip = await redisSkipReason();

/** One backend instance over HTTP: its URL and contract calls. */
interface Instance {
  url: string;
  call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: OrderView & { code?: string; message?: string } }>;
}

/**
 * `count` backend instances sharing one Redis and one sandbox, as behind a load balancer; the
 * sandbox's notifications land on the last instance. No instance polls Amazon on its own during a
 * test (the first scheduled check is a minute away), so only an IPN or a request can move an order.
 * `upstreamCancels` counts the cancels that actually reached the sandbox, per order;
 * `refunded(id)` resolves once an instance has made and recorded the refund of a late payment.
 */
async function instancesSharingRedis(count: number, redisUrl = REDIS_URL) {
  const redis = redisForTest();
  let ipnTarget = '';
  const sandbox = await sandboxOverHttp({ ipnUrl: () => `${ipnTarget}/api/dqr/ipn` });
  const upstreamCancels = new Map<string, number>();
  const errors: unknown[] = [];
  const refunds = new EventEmitter();
  const refundedIds = new Set<string>();
  /** When each notification reached the instance it was sent to. */
  const ipnArrivals: number[] = [];
  const closers: (() => Promise<void> | void)[] = [];
  const instances: Instance[] = [];
  const connections: RedisConnection[] = [];
  for (let index = 0; index < count; index += 1) {
    // No test here is about the command timeout: it only has to outlast a loaded machine's stalls,
    // which would otherwise end a held long poll early or answer 503 with Redis up.
    const connection = await redis.connect({ url: redisUrl, commandTimeoutMs: 10_000 });
    connections.push(connection);
    const signed = sandbox.client();
    const counted: AmazonPayClient = {
      ...signed,
      cancel(input, signal) {
        upstreamCancels.set(input.orderId, (upstreamCancels.get(input.orderId) ?? 0) + 1);
        return signed.cancel(input, signal);
      },
    };
    const backend = createBackend({
      client: shareUpstreamCalls(counted, connection),
      store: createRedisStore(connection, { now: sandbox.now }),
      statusScheduleSeconds: [60],
      logger: createLogger({ level: 'silent' }),
      mode: 'sandbox',
      snsTopicArns: [TOPIC_ARN],
      trustedIpnOrigins: () => [sandbox.url],
      onError: (error) => errors.push(error),
      onJobEvent: (event) => {
        if (event.type !== 'done' || event.kind !== 'refund') return;
        refundedIds.add(event.orderId);
        refunds.emit(event.orderId);
      },
      now: sandbox.now,
    });
    const server = await serve((request) => {
      if (new URL(request.url).pathname.endsWith('/ipn')) ipnArrivals.push(Date.now());
      return backend.fetch(request);
    });
    closers.push(
      () => backend.close(),
      () => server.close(),
    );
    instances.push({
      url: server.url,
      async call(method, path, body) {
        const response = await fetch(`${server.url}/api/dqr${path}`, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as OrderView };
      },
    });
  }
  ipnTarget = instances[count - 1].url;
  return {
    instances,
    sandbox,
    upstreamCancels,
    errors,
    ipnArrivals,
    refunded: async (orderId: string) => {
      if (!refundedIds.has(orderId)) await once(refunds, orderId);
    },
    /** Resolves once every instance is connected to Redis again. */
    reconnected: () => Promise.all(connections.map((connection) => connection.ready())),
    async close() {
      for (const close of closers) await close();
      await sandbox.close();
      await redis.close();
    },
  };
}

const order = (orderId: string) => ({ orderId, amount: '249.00', currency: 'INR', expiresIn: 120 });
const cancel = { reason: 'USER_CANCELLATION', refund: true };
/** An order view without the moment it was served, to compare what two instances say. */
const lasting = ({ serverTime: _, ...view }: OrderView) => view;

describe('two backend instances sharing Redis', { skip, timeout: 30_000 }, () => {
  const opened: { close(): Promise<void> }[] = [];
  after(() => Promise.all(opened.map((setup) => setup.close())));

  it('wakes a long poll held on one instance as soon as the IPN lands on the other', async () => {
    const setup = await instancesSharingRedis(2);
    opened.push(setup);
    const [a, b] = setup.instances;
    assert.equal((await a.call('POST', '/qr', order('TWO-1'))).status, 201);
    const waiting = a.call('GET', '/qr/TWO-1?wait=25');
    assert.equal((await b.call('GET', '/qr/TWO-1')).body.status, 'pending');
    setup.sandbox.sandbox.pay('TWO-1');
    const woken = await waiting;
    const [notifiedAt] = setup.ipnArrivals;
    // Held for 25 s otherwise, with no status check for a minute: on a loaded machine "at once"
    // still means well within that (it is a few milliseconds on an idle one).
    assert.ok(Date.now() - notifiedAt < 10_000, `woken ${Date.now() - notifiedAt} ms after the IPN`);
    assert.equal(woken.body.status, 'paid');
    assert.equal(woken.body.amazonChargeId, setup.sandbox.sandbox.order('TWO-1')?.charge?.amazonChargeId);
    assert.equal(setup.sandbox.sandbox.calls.getStatus, 1);
    assert.deepEqual(setup.errors, []);
  });

  it('ends every order of a cancel-and-pay race in one state all instances agree on, cancelled upstream at most once', async () => {
    const setup = await instancesSharingRedis(3);
    opened.push(setup);
    const [a, b, c] = setup.instances;
    const { sandbox } = setup.sandbox;
    const ids = Array.from({ length: 12 }, (_, index) => `RACE-${index}`);
    await Promise.all(ids.map((id, index) => setup.instances[index % 3].call('POST', '/qr', order(id))));
    /** The customer pays before the terminals cancel, just after one did, or at some moment in between. */
    const payment = (id: string, index: number, firstCancel: Promise<unknown>) => {
      if (index % 3 === 0) return Promise.resolve(sandbox.pay(id));
      if (index % 3 === 1) return firstCancel.then(() => sandbox.pay(id));
      return new Promise((resolve) => setTimeout(() => resolve(sandbox.pay(id)), index * 2));
    };
    await Promise.all(
      ids.flatMap((id, index) => {
        const firstCancel = a.call('POST', `/qr/${id}/cancel`, cancel);
        return [
          c.call('GET', `/qr/${id}?wait=20`),
          firstCancel,
          b.call('POST', `/qr/${id}/cancel`, cancel),
          payment(id, index, firstCancel),
        ];
      }),
    );
    await sandbox.settled();
    for (const id of ids) {
      // A late payment's refund is a job one of the instances runs after the race: compare once it ran.
      if ((await a.call('GET', `/qr/${id}`)).body.latePayment) await setup.refunded(id);
      const views = await Promise.all([a, b, c].map((instance) => instance.call('GET', `/qr/${id}`)));
      const [view] = views.map((answer) => lasting(answer.body));
      for (const other of views) assert.deepEqual(lasting(other.body), view, `${id}: instances disagree`);
      const cancels = setup.upstreamCancels.get(id) ?? 0;
      assert.ok(cancels <= 1, `${id}: ${cancels} upstream cancels`);
      assert.ok(view.status === 'paid' || view.status === 'cancelled', `${id}: ${view.status}`);
      if (view.status === 'cancelled') assert.equal(cancels, 1, `${id}: cancelled without Amazon`);
      assert.ok(sandbox.order(id)?.charge, `${id}: the customer paid in every round`);
      // Money taken for an order not paid goes back: refunded by the cancel or as a late payment.
      if (view.status !== 'paid') {
        assert.ok(
          view.cancel?.outcome === 'RefundApplicable' || view.latePayment !== undefined,
          `${id}: charged, cancelled and not refunded`,
        );
      }
    }
    assert.deepEqual(setup.errors, []);
  });
  it('sends one upstream cancel when two terminals cancel a paid order with different refund choices, and reports the choice Amazon got', async () => {
    const setup = await instancesSharingRedis(2);
    opened.push(setup);
    const [a, b] = setup.instances;
    const { sandbox } = setup.sandbox;
    const ids = Array.from({ length: 8 }, (_, index) => `TERMS-${index}`);
    await Promise.all(ids.map((id) => a.call('POST', '/qr', order(id))));
    // Paid, but the notification has not arrived: the cancels find the charge upstream.
    for (const id of ids) sandbox.pay(id, { notify: false });
    await Promise.all(
      ids.flatMap((id) => [
        a.call('POST', `/qr/${id}/cancel`, { reason: 'USER_CANCELLATION', refund: false }),
        b.call('POST', `/qr/${id}/cancel`, { reason: 'SESSION_EXPIRED', refund: true }),
      ]),
    );
    for (const id of ids) {
      const { body: view } = await b.call('GET', `/qr/${id}`);
      const ledger = sandbox.order(id);
      assert.equal(setup.upstreamCancels.get(id), 1, `${id}: upstream cancels`);
      assert.equal(view.status, 'cancelled');
      assert.equal(view.cancel?.refund, ledger?.cancel?.refundRequested, `${id}: the order reports other terms`);
      assert.equal(view.cancel?.outcome, ledger?.cancel?.outcome);
      // Kept only when the cashier said so; otherwise Amazon refunds it with the cancel.
      if (view.cancel?.outcome === 'RefundApplicableButNotRequested') assert.equal(view.cancel.refund, false);
      else assert.equal(view.cancel?.outcome, 'RefundApplicable');
    }
    assert.deepEqual(setup.errors, []);
  });

  it('answers a clear 503 while Redis is down, never paid without it, and serves again once it is back', async () => {
    const server = await ownRedisServer();
    const setup = await instancesSharingRedis(2, server.url);
    opened.push({ close: async () => (await setup.close(), await server.stop()) });
    const [a, b] = setup.instances;
    const { sandbox } = setup.sandbox;
    assert.equal((await a.call('POST', '/qr', order('DOWN-1'))).status, 201);
    const held = b.call('GET', '/qr/DOWN-1?wait=2');
    await server.stop();
    sandbox.pay('DOWN-1');
    await sandbox.settled();
    const answers = [
      await held,
      await a.call('GET', '/qr/DOWN-1'),
      await b.call('POST', '/qr/DOWN-1/cancel', cancel),
      await a.call('POST', '/qr', order('DOWN-2')),
    ];
    for (const answer of answers) {
      assert.equal(answer.status, 503);
      assert.equal(answer.body.code, 'UPSTREAM_UNAVAILABLE');
      assert.equal(answer.body.message, 'The order store (Redis) could not be reached; try again.');
    }
    assert.equal(sandbox.calls.generateQr, 1, 'no QR is made for an order that cannot be stored');
    assert.equal(sandbox.calls.cancel, 0);
    await server.start();
    await setup.reconnected();
    assert.equal((await b.call('POST', '/qr', order('UP-1'))).status, 201);
    assert.equal((await a.call('GET', '/qr/UP-1')).body.status, 'pending');
    // Each 503 (the notification's too) is told to onError, with Redis's own error as its cause.
    assert.ok(setup.errors.length >= answers.length);
    for (const error of setup.errors) {
      assert.ok(error instanceof StoreUnavailableError && error.cause !== undefined, String(error));
    }
  });
});
