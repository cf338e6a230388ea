import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { startBackendChild, type BackendChild } from './support/backend-child.js';
import { failoverProxy } from './support/failover-proxy.js';
import { httpsSandbox, makeCertificate } from './support/https-sandbox.js';
import { scrape } from './support/prometheus.js';
import { freePort, ownRedisServer } from './support/redis.js';
import { MERCHANT, STORE } from './support/sandbox-server.js';
import { tokensFile } from './support/terminal-tokens.js';

/** One answer a terminal got: its HTTP status (0 when the connection failed) and the order view. */
interface Answer {
  status: number;
  body?: { orderId?: string; status?: string; qr?: { payload?: string }; expiresAt?: string };
}

function exchange(agent: Agent, url: string, headers: Record<string, string>, method = 'GET', body?: unknown) {
  return new Promise<Answer>((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const outgoing = request(url, {
      agent,
      method,
      headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
    });
    outgoing.once('response', (incoming) => {
      let text = '';
      incoming.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      incoming.once('end', () => resolve({ status: incoming.statusCode!, body: JSON.parse(text) }));
      incoming.once('error', () => resolve({ status: 0 }));
    });
    outgoing.once('error', () => resolve({ status: 0 }));
    outgoing.end(payload);
  });
}

const TERMINALS = ['till-1', 'till-2', 'till-3', 'till-4', 'till-5'];

/**
 * A rolling deploy as an operator runs one: two production backends sharing one Redis and one
 * Amazon Pay (the sandbox over HTTPS), behind a load balancer that passes over an instance that
 * no longer listens. Each terminal holds a long poll on its order, as the element does, asking
 * again at once after each answer; the instances are replaced one at a time with SIGTERM.
 */
describe('rolling deploy', () => {
  let tls: ReturnType<typeof makeCertificate>;
  before(() => (tls = makeCertificate()));
  after(() => tls.remove());

  it('terminals polling through it see no error and no gap: the same order, then its payment', async () => {
    const amazon = await httpsSandbox(tls);
    const redis = await ownRedisServer({ aof: true });
    const tokens = tokensFile(TERMINALS.map((terminalId) => ({ terminalId, storeId: STORE.storeId })));
    const [portA, portB] = [await freePort(), await freePort()];
    const balancer = await failoverProxy([portA, portB]);
    const agent = new Agent({ keepAlive: true });
    const running = new Set<BackendChild>();

    /** One instance of the new or old version: production, on `port`, its metrics on a port of its own. */
    async function instance(port: number) {
      const metricsPort = await freePort();
      const child = await startBackendChild({
        AMAZON_PAY_MODE: 'production',
        AMAZON_PAY_MERCHANT_ID: MERCHANT.merchantId,
        AMAZON_PAY_ACCESS_KEY_ID: MERCHANT.accessKeyId,
        AMAZON_PAY_SECRET_KEY: MERCHANT.secretKey,
        AMAZON_PAY_STORE_ID: STORE.storeId,
        AMAZON_PAY_BASE_URL: amazon.baseUrl,
        AMAZON_PAY_SNS_TOPIC_ARNS: 'arn:aws:sns:ap-south-1:123456789012:amazon-pay',
        NODE_EXTRA_CA_CERTS: tls.certFile,
        DQR_TERMINAL_TOKENS_FILE: tokens.file,
        DQR_PUBLIC_URL: 'https://pay.example.in',
        DQR_STORE: 'redis',
        REDIS_URL: redis.url,
        // Amazon is asked every second while a terminal waits: the payment is found without an IPN.
        DQR_STATUS_SCHEDULE: '1',
        DQR_METRICS_PORT: String(metricsPort),
        PORT: String(port),
      });
      running.add(child);
      const heldPolls = async () => (await scrape(`http://127.0.0.1:${metricsPort}/metrics`)).value('dqr_long_polls');
      return { child, heldPolls };
    }
    type Instance = Awaited<ReturnType<typeof instance>>;

    /** The terminals that stopped polling: on an error, or once their order was over. */
    const stopped = new Set<string>();
    /** Resolves once `target` holds a long poll of every terminal; fails when one stopped polling. */
    async function holdingAll(target: Instance) {
      while ((await target.heldPolls()) < TERMINALS.length) {
        assert.deepEqual([...stopped], [], 'a terminal stopped polling');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    /** Replaces `old` with `next`: SIGTERM, and it must exit 0. */
    async function replace(old: Instance, next: Instance) {
      old.child.signal('SIGTERM');
      assert.equal(await old.child.exited, 0);
      running.delete(old.child);
      await holdingAll(next);
    }

    try {
      const first = await instance(portA);
      const answers = new Map<string, Answer[]>(TERMINALS.map((terminalId) => [terminalId, []]));
      const created = new Map<string, Answer>();
      for (const terminalId of TERMINALS) {
        const answer = await exchange(agent, `${balancer.origin}/api/dqr/qr`, tokens.as(terminalId), 'POST', {
          orderId: `DEPLOY-${terminalId}`,
          amount: '249.00',
          currency: 'INR',
          expiresIn: 300,
        });
        assert.equal(answer.status, 201);
        created.set(terminalId, answer);
      }
      const terminals = TERMINALS.map(async (terminalId) => {
        const seen = answers.get(terminalId)!;
        for (;;) {
          const answer = await exchange(
            agent,
            `${balancer.origin}/api/dqr/qr/DEPLOY-${terminalId}?wait=30`,
            tokens.as(terminalId),
          );
          seen.push(answer);
          if (answer.status === 200 && answer.body?.status === 'pending') continue;
          stopped.add(terminalId);
          return;
        }
      });
      await holdingAll(first);

      const second = await instance(portB);
      await replace(first, second);
      const third = await instance(portA);
      await replace(second, third);

      for (const terminalId of TERMINALS) amazon.sandbox.pay(`DEPLOY-${terminalId}`, { notify: false });
      await Promise.all(terminals);

      for (const terminalId of TERMINALS) {
        const seen = answers.get(terminalId)!;
        const { body: order } = created.get(terminalId)!;
        assert.deepEqual(
          seen.map((answer) => answer.status),
          seen.map(() => 200),
          `${terminalId} got an answer other than 200`,
        );
        assert.ok(seen.length >= 3, `${terminalId}'s poll was answered by each instance in turn`);
        assert.deepEqual(
          seen.map((answer) => answer.body!.status),
          [...seen.slice(1).map(() => 'pending'), 'paid'],
        );
        for (const answer of seen) {
          assert.equal(answer.body!.orderId, order!.orderId);
          assert.equal(answer.body!.expiresAt, order!.expiresAt, 'the same order throughout, never a new one');
        }
      }
    } finally {
      agent.destroy();
      for (const child of running) {
        child.signal('SIGTERM');
        await child.exited;
      }
      await balancer.close();
      await redis.stop();
      await amazon.close();
    }
  });
});
