import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAmazonPayClient } from '../../src/server/amazon-pay/client.js';
import { AmazonPayError } from '../../src/server/amazon-pay/types.js';
import { MAX_ANSWER_BYTES, nodeTransport } from '../../src/server/amazon-pay/transport.js';
import { SANDBOX_CREDENTIALS } from '../../src/server/config/index.js';
import { freePort } from './support/redis.js';

/** What the server saw of each request. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An answer of `MAX_ANSWER_BYTES` and one more, in 64 KiB chunks with no length said, as a runaway server sends. */
function answerLarge(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let left = MAX_ANSWER_BYTES + 1;
  const more = () => {
    while (left > 0 && !response.destroyed) {
      const part = chunk.subarray(0, Math.min(chunk.length, left));
      left -= part.length;
      if (!response.write(part)) return void response.once('drain', more);
    }
    response.end();
  };
  more();
}

describe('the default transport of Amazon Pay calls', () => {
  const seen: Seen[] = [];
  let connections = 0;
  let resets = 0;
  let server: Server;
  let origin = '';
  const init = (signal = AbortSignal.timeout(5_000)) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-amz-date': '20261201T000000Z' },
    body: '{"amount":"₹ 249.00"}',
    signal,
  });

  before(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        seen.push({ method: request.method!, url: request.url!, headers: request.headers, body });
        if (request.url === '/moved') return void response.writeHead(302, { location: `${origin}/elsewhere` }).end();
        if (request.url === '/hang') return;
        // A connection closed just as a call arrives on it: every time, or the first time only.
        if (request.url === '/reset' || (request.url === '/reset-once' && resets++ === 0)) {
          return void request.socket.destroy();
        }
        if (request.url?.startsWith('/large')) return void answerLarge(response);
        response.writeHead(201, [
          ['content-type', 'application/json'],
          ['x-amz-request-id', 'R-1'],
          ['set-cookie', 'a=1'],
          ['set-cookie', 'b=2'],
        ]);
        response.end('{"ok":true}');
      });
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });

  it("sends the body with its length and answers with Amazon's status, headers and body", async () => {
    const response = await nodeTransport(new URL(`${origin}/v2/pay`), init());
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('x-amz-request-id'), 'R-1');
    assert.deepEqual(response.headers.getSetCookie(), ['a=1', 'b=2']);
    assert.deepEqual(await response.json(), { ok: true });
    const [request] = seen.slice(-1);
    assert.equal(request.body, '{"amount":"₹ 249.00"}');
    assert.equal(request.headers['content-length'], String(Buffer.byteLength('{"amount":"₹ 249.00"}')));
    assert.equal(request.headers['transfer-encoding'], undefined);
    assert.equal(request.headers['x-amz-date'], '20261201T000000Z');
    assert.match(request.headers['user-agent']!, /^amazonpay-dqr \(Node\.js v\d+/);
    assert.equal(request.headers['accept-encoding'], 'identity');
  });

  it('keeps one connection for calls made one after another', async () => {
    const before = connections;
    for (let call = 0; call < 5; call += 1) await (await nodeTransport(new URL(`${origin}/v2/pay`), init())).text();
    assert.ok(connections - before <= 1, `${connections - before} connections for 5 calls`);
  });

  it('answers a redirect as it came: a signed call is never sent on elsewhere', async () => {
    const calls = seen.length;
    const response = await nodeTransport(new URL(`${origin}/moved`), init());
    assert.equal(response.status, 302);
    assert.equal(seen.length, calls + 1);
  });

  it('cuts off an answer past its size limit instead of holding it, and the next call gets through', async () => {
    await assert.rejects(nodeTransport(new URL(`${origin}/large`), init()), { name: 'AnswerTooLargeError' });
    assert.equal((await nodeTransport(new URL(`${origin}/v2/pay`), init())).status, 201);
  });

  it('refuses an answer past the size limit as malformed, through either transport', async () => {
    for (const fetch of [undefined, globalThis.fetch]) {
      const client = createAmazonPayClient({
        ...SANDBOX_CREDENTIALS,
        baseUrl: `${origin}/large`,
        retries: 0,
        ...(fetch ? { fetch } : {}),
      });
      await assert.rejects(client.getStatus('ORD-1'), (error: unknown) => {
        assert.ok(error instanceof AmazonPayError, String(error));
        assert.equal(error.kind, 'malformed');
        assert.match(error.message, /answer to GET .* is over 1048576 bytes/);
        return true;
      });
    }
  });

  it('sends a call once more on a new connection when the kept-alive one is reset before any answer', async () => {
    await (await nodeTransport(new URL(`${origin}/v2/pay`), init())).text();
    const before = connections;
    const response = await nodeTransport(new URL(`${origin}/reset-once`), init());
    assert.equal(response.status, 201);
    assert.equal(await response.text(), '{"ok":true}');
    assert.equal(seen.filter((request) => request.url === '/reset-once').length, 2);
    assert.equal(connections, before + 1, 'the second time on a connection of its own');
  });

  it('sends it once more only', async () => {
    await (await nodeTransport(new URL(`${origin}/v2/pay`), init())).text();
    const before = connections;
    await assert.rejects(nodeTransport(new URL(`${origin}/reset`), init()), { code: 'ECONNRESET' });
    assert.equal(seen.filter((request) => request.url === '/reset').length, 2);
    assert.equal(connections, before + 1, 'on the kept-alive connection, then on a new one');
  });

  it('sends it only once when the connection reset was a new one', async () => {
    let calls = 0;
    const resetting = createServer((request) => {
      calls += 1;
      request.socket.destroy();
    });
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = resetting.address() as AddressInfo;
      await assert.rejects(nodeTransport(new URL(`http://127.0.0.1:${port}/v2/pay`), init()), { code: 'ECONNRESET' });
      assert.equal(calls, 1);
    } finally {
      await new Promise((resolve) => resetting.close(resolve));
    }
  });

  it("rejects with the socket's own error, and with the signal's reason once it aborts", async () => {
    const port = await freePort();
    await assert.rejects(nodeTransport(new URL(`http://127.0.0.1:${port}/v2/pay`), init()), { code: 'ECONNREFUSED' });
    const controller = new AbortController();
    const hanging = nodeTransport(new URL(`${origin}/hang`), init(controller.signal));
    controller.abort(new Error('the caller went away'));
    await assert.rejects(hanging, { name: 'AbortError' });
  });
});
