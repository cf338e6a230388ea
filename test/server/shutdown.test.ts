import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { startBackendChild } from './support/backend-child.js';
import { qrTerms } from './support/http-app.js';
import { freePort } from './support/redis.js';
import { scrape } from './support/prometheus.js';

/** One exchange over `agent`; the status, the `Connection` header and the JSON body. */
function exchange(agent: Agent, url: string, method = 'GET', body?: unknown) {
  return new Promise<{ status: number; connection?: string; body: Record<string, unknown> }>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const outgoing = request(url, { agent, method, headers: payload ? { 'content-type': 'application/json' } : {} });
    outgoing.once('response', (incoming) => {
      let text = '';
      incoming.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      incoming.once('end', () =>
        resolve({ status: incoming.statusCode!, connection: incoming.headers.connection, body: JSON.parse(text) }),
      );
    });
    outgoing.once('error', reject);
    outgoing.end(payload);
  });
}

/** Resolves once the backend behind `metricsPort` has a contract request under way. */
async function underWay(metricsPort: number) {
  while ((await scrape(`http://127.0.0.1:${metricsPort}/metrics`)).value('dqr_http_requests_in_flight') < 1) {
    await new Promise(setImmediate);
  }
}

describe('shutdown on SIGTERM', () => {
  it('answers every held long poll at once with the order as it is, closes each connection, and exits 0', async () => {
    const metricsPort = await freePort();
    const backend = await startBackendChild({ DQR_METRICS_PORT: String(metricsPort) });
    const agent = new Agent({ keepAlive: true });
    const api = `${backend.origin}/api/dqr`;
    const orderIds = Array.from({ length: 20 }, (_, index) => `SIGTERM-${index}`);
    for (const orderId of orderIds)
      assert.equal((await exchange(agent, `${api}/qr`, 'POST', qrTerms(orderId, { expiresIn: 300 }))).status, 201);
    const polls = orderIds.map((orderId) => exchange(agent, `${api}/qr/${orderId}?wait=30`));
    const metrics = `http://127.0.0.1:${metricsPort}/metrics`;
    while ((await scrape(metrics)).value('dqr_long_polls') < orderIds.length) await new Promise(setImmediate);
    assert.equal((await fetch(`${backend.origin}/metrics`)).status, 404, 'the metrics are on their own port only');

    const signalled = performance.now();
    backend.signal('SIGTERM');
    const answers = await Promise.all(polls);
    const answeredWithinMs = performance.now() - signalled;
    for (const [index, answer] of answers.entries()) {
      assert.equal(answer.status, 200);
      assert.deepEqual([answer.body.orderId, answer.body.status], [orderIds[index], 'pending']);
      assert.equal(answer.connection, 'close', 'the terminal asks again on a new connection, elsewhere');
    }
    // Held for 30 s otherwise; on a loaded machine "at once" still means well within that.
    assert.ok(answeredWithinMs < 15_000, `answered ${Math.round(answeredWithinMs)} ms after SIGTERM`);
    assert.equal(await backend.exited, 0);
    assert.ok(backend.lines.some((line) => String(line.msg).startsWith('SIGTERM: draining')));
    assert.equal(backend.lines.at(-1)!.msg, 'Stopped');
    await assert.rejects(fetch(`${backend.origin}/healthz`), 'no longer listening');
    agent.destroy();
  });

  it('lets a QR creation under way finish before it exits', async () => {
    const metricsPort = await freePort();
    const backend = await startBackendChild({ DQR_METRICS_PORT: String(metricsPort) });
    const agent = new Agent({ keepAlive: true });
    await fetch(`${backend.origin}/sandbox/control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 1_500 }),
    });
    const creating = exchange(agent, `${backend.origin}/api/dqr/qr`, 'POST', qrTerms('SLOW-1', { expiresIn: 300 }));
    await underWay(metricsPort);
    backend.signal('SIGTERM');
    const created = await creating;
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'pending');
    assert.equal(await backend.exited, 0);
    agent.destroy();
  });

  it('cuts off what is still under way after DQR_SHUTDOWN_TIMEOUT_MS, and still exits 0', async () => {
    const metricsPort = await freePort();
    const backend = await startBackendChild({
      DQR_SHUTDOWN_TIMEOUT_MS: '1000',
      AMAZON_PAY_TIMEOUT_MS: '60000',
      DQR_JOB_LEASE_MS: '200000',
      DQR_METRICS_PORT: String(metricsPort),
    });
    await fetch(`${backend.origin}/sandbox/control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hang: 1 }),
    });
    const agent = new Agent({ keepAlive: true });
    const creating = exchange(agent, `${backend.origin}/api/dqr/qr`, 'POST', qrTerms('HUNG-1', { expiresIn: 300 }));
    await underWay(metricsPort);
    backend.signal('SIGTERM');
    await assert.rejects(creating, /socket hang up|ECONNRESET/);
    assert.equal(await backend.exited, 0);
    agent.destroy();
  });
});
