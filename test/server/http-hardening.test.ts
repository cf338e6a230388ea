import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { toNodeListener } from '../../src/server/node-adapter.js';
import { qrTerms, startHttpApp, type HttpApp } from './support/http-app.js';
import { subscribed } from './support/store-wait.js';

/** What a raw connection got back, and how long after it opened the server closed it. */
interface Closed {
  response: string;
  afterMs: number;
}

/** Opens a raw connection to `origin`, writes `head`, then `drip` every 100 ms until the server closes it. */
function slowClient(origin: string, head: string, drip: string): Promise<Closed> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const opened = performance.now();
    let response = '';
    let dripping: NodeJS.Timeout | undefined;
    // The drip starts once the head is written: a socket still connecting queues what it is given,
    // so a drip before a slow connect would go out ahead of the request line.
    const socket: Socket = connect(Number(port), hostname, () => {
      socket.write(head);
      dripping = setInterval(() => socket.writable && socket.write(drip), 100);
    });
    socket.setEncoding('utf8').on('data', (chunk: string) => (response += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(dripping);
      resolve({ response, afterMs: performance.now() - opened });
    });
  });
}

/** One raw HTTP/1.1 exchange: `request` as written, the whole answer as received. */
function rawExchange(origin: string, request: string): Promise<string> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    let response = '';
    const socket = connect(Number(port), hostname, () => socket.end(request));
    socket.setEncoding('utf8').on('data', (chunk: string) => (response += chunk));
    socket.on('end', () => resolve(response)).on('error', reject);
  });
}

const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]);
const bodyOf = (response: string) => JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as { code: string };
/** Log lines at warn or louder, after the sandbox's startup notice. */
const loud = (server: HttpApp) => server.logged.filter((line) => Number(line.level) >= 40 && line.mode === undefined);

describe('requests routed from the request line only', () => {
  let server: HttpApp;
  before(async () => (server = await startHttpApp()));
  after(() => server.close());

  it('refuses a Host that carries a path, so it cannot cancel an order behind a path-based gateway', async () => {
    await server.call('POST', '/qr', qrTerms('HOST-1'));
    // A gateway that lets no cancel through, judging by the request line as such gateways do.
    const listener = toNodeListener(server.app.fetch);
    const gateway = createServer((incoming, outgoing) => {
      if (incoming.url?.includes('/cancel')) return void outgoing.writeHead(403).end();
      void listener(incoming, outgoing);
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
    try {
      const body = JSON.stringify({ reason: 'USER_CANCELLATION', refund: true });
      const answer = await rawExchange(
        origin,
        `POST /api/dqr/not-a-route HTTP/1.1\r\nHost: 127.0.0.1:${new URL(origin).port}/api/dqr/qr/HOST-1/cancel?\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
      assert.equal(statusOf(answer), 400);
      assert.equal(bodyOf(answer).code, 'INVALID_REQUEST');
      assert.equal(server.sandbox.calls.cancel, 0);
      assert.equal((await server.call('GET', '/qr/HOST-1')).body.status, 'pending');
    } finally {
      gateway.close();
    }
  });

  it('routes an absolute-form target by its path, and keeps `//host` targets on this host', async () => {
    const host = new URL(server.origin).host;
    const absolute = await rawExchange(
      server.origin,
      `GET http://elsewhere.example/api/dqr/qr/HOST-1 HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(statusOf(absolute), 200);
    const doubled = await rawExchange(
      server.origin,
      `GET //elsewhere.example/api/dqr/qr/HOST-1 HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(statusOf(doubled), 404);
  });

  it('answers TRACE and other methods with 405 and a malformed Host with 400, as JSON, and reports nothing', async () => {
    const host = new URL(server.origin).host;
    const trace = await rawExchange(server.origin, `TRACE /api/dqr/qr HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    assert.equal(statusOf(trace), 405);
    assert.match(trace, /\r\nallow: GET, HEAD, POST, OPTIONS\r\n/i);
    assert.equal(bodyOf(trace).code, 'METHOD_NOT_ALLOWED');
    const put = await server.call('PUT', '/qr/HOST-1');
    assert.deepEqual([put.status, put.headers.get('allow')], [405, 'GET']);
    for (const badHost of ['a b', 'user@shop.example', 'shop.example/x', 'shop.example?x']) {
      const answer = await rawExchange(server.origin, `GET /api/dqr/qr/HOST-1 HTTP/1.1\r\nHost: ${badHost}\r\n\r\n`);
      assert.equal(statusOf(answer), 400, badHost);
      assert.equal(bodyOf(answer).code, 'INVALID_REQUEST');
    }
    assert.deepEqual(server.errors, []);
    assert.deepEqual(loud(server), []);
  });

  it('takes a body the client abandons as no error: no 500, no report, no log line', async () => {
    const host = new URL(server.origin).host;
    const before = server.settled();
    const uploads = Array.from({ length: 20 }, () => {
      const { hostname, port } = new URL(server.origin);
      return new Promise<void>((resolve) => {
        const socket = connect(Number(port), hostname, () => {
          socket.write(`POST /api/dqr/qr HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n`);
          socket.write('Content-Length: 500\r\n\r\n{"orderId":"ABAND');
          setImmediate(() => socket.destroy());
        });
        socket.on('close', () => resolve());
      });
    });
    await Promise.all(uploads);
    await server.untilSettled(before + 20);
    assert.equal((await server.call('POST', '/qr', qrTerms('AFTER-ABANDON'))).status, 201);
    assert.deepEqual(server.errors, []);
    assert.deepEqual(loud(server), []);
  });

  it('ends a held long poll as soon as its client goes away, with no time passing', { timeout: 10_000 }, async () => {
    assert.equal((await server.call('POST', '/qr', qrTerms('HELD-GONE'))).status, 201);
    const held = subscribed(server.store, 'HELD-GONE');
    const before = server.settled();
    const client = new AbortController();
    const poll = fetch(`${server.origin}/api/dqr/qr/HELD-GONE?wait=25`, { signal: client.signal });
    await held;
    client.abort();
    await assert.rejects(poll, { name: 'AbortError' });
    // The test clock never moves: only the client's going away can end the poll.
    await server.untilSettled(before + 1);
  });
});

describe('slow clients', () => {
  let server: HttpApp;
  before(async () => {
    server = await startHttpApp({
      DQR_HEADERS_TIMEOUT_MS: '1000',
      DQR_REQUEST_TIMEOUT_MS: '2000',
      DQR_KEEP_ALIVE_TIMEOUT_MS: '1000',
    });
  });
  after(() => server.close());

  it('closes slow headers and slow bodies at the configured time while normal requests go on being served', async () => {
    const host = new URL(server.origin).host;
    await server.call('POST', '/qr', qrTerms('SLOW-POLL'));
    // A long poll held past the request timeout: the timeout limits receiving, not answering.
    const held = server.call('GET', '/qr/SLOW-POLL?wait=25');
    const slowHeaders = Array.from({ length: 40 }, () =>
      slowClient(server.origin, `GET /api/dqr/qr/SLOW-POLL HTTP/1.1\r\nHost: ${host}\r\n`, 'X-Slow: a\r\n'),
    );
    const slowBodies = Array.from({ length: 40 }, () =>
      slowClient(
        server.origin,
        `POST /api/dqr/qr HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
        ' ',
      ),
    );
    for (let n = 0; n < 15; n += 1) {
      assert.equal((await server.call('POST', '/qr', qrTerms(`SERVED-${n}`))).status, 201);
      assert.equal((await server.call('GET', `/qr/SERVED-${n}`)).body.status, 'pending');
    }
    const headers = await Promise.all(slowHeaders);
    const bodies = await Promise.all(slowBodies);
    for (const [closed, timeoutMs] of [
      ...headers.map((closed) => [closed, 1000] as const),
      ...bodies.map((closed) => [closed, 2000] as const),
    ]) {
      assert.equal(statusOf(closed.response), 408);
      // Node checks its connections every 250 ms here; the rest is a loaded machine's slack.
      assert.ok(closed.afterMs >= timeoutMs - 50, `closed after ${closed.afterMs} ms, before ${timeoutMs} ms`);
      assert.ok(closed.afterMs < timeoutMs + 5000, `closed after ${closed.afterMs} ms`);
    }
    server.sandbox.pay('SLOW-POLL');
    assert.equal((await held).body.status, 'paid');
    assert.deepEqual(server.errors, []);
    assert.deepEqual(loud(server), []);
  });

  it('closes a kept-alive connection left idle at the configured time', async () => {
    const host = new URL(server.origin).host;
    const closed = await slowClient(server.origin, `GET /api/dqr/qr/SERVED-0 HTTP/1.1\r\nHost: ${host}\r\n\r\n`, '');
    assert.equal(statusOf(closed.response), 200);
    assert.ok(closed.afterMs >= 950 && closed.afterMs < 6000, `closed after ${closed.afterMs} ms`);
  });
});
