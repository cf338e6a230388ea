import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serve, type FetchHandler } from '../../src/server/node-adapter.js';

/** Runs `handler` on a loopback port for the length of `use`. */
async function withServer(handler: FetchHandler, use: (url: string) => Promise<void>) {
  const server = await serve(handler);
  try {
    await use(server.url);
  } finally {
    await server.close();
  }
}

describe('serve: a fetch handler on node:http', () => {
  it('hands the handler the request as sent, and streams its response back', async () => {
    let seen: { method: string; url: string; type: string | null; body: string } | undefined;
    const handler: FetchHandler = async (request) => {
      seen = {
        method: request.method,
        url: request.url,
        type: request.headers.get('content-type'),
        body: await request.text(),
      };
      const headers = new Headers({ 'content-type': 'text/plain' });
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      return new Response(new Blob(['first,', 'second']).stream(), { status: 201, headers });
    };
    await withServer(handler, async (url) => {
      const response = await fetch(`${url}/api/dqr/qr?wait=5`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"amount":"₹ 1.0"}',
      });
      assert.deepEqual(seen, {
        method: 'POST',
        url: `${url}/api/dqr/qr?wait=5`,
        type: 'application/json',
        body: '{"amount":"₹ 1.0"}',
      });
      assert.equal(response.status, 201);
      assert.deepEqual(response.headers.getSetCookie(), ['a=1', 'b=2']);
      assert.equal(await response.text(), 'first,second');
    });
  });

  it(
    "aborts the request's signal when the client goes away, so a held long poll ends at once",
    { timeout: 5000 },
    async () => {
      let started!: () => void;
      const handlerStarted = new Promise<void>((resolve) => (started = resolve));
      let aborted!: () => void;
      const handlerAborted = new Promise<void>((resolve) => (aborted = resolve));
      const handler: FetchHandler = (request) => {
        request.signal.addEventListener('abort', () => aborted(), { once: true });
        started();
        return new Promise<Response>(() => undefined);
      };
      await withServer(handler, async (url) => {
        const client = new AbortController();
        const call = fetch(`${url}/wait`, { signal: client.signal });
        await handlerStarted;
        client.abort();
        await assert.rejects(call, { name: 'AbortError' });
        await handlerAborted;
      });
    },
  );

  it("carries the client's abort to the request's clones, and to a request built from it with its signal", async () => {
    let held!: (seen: { signals: AbortSignal[]; cloneBody: string }) => void;
    const seenHeld = new Promise<{ signals: AbortSignal[]; cloneBody: string }>((resolve) => (held = resolve));
    const handler: FetchHandler = async (request) => {
      const clone = request.clone();
      const forwarded = new Request(request, { signal: request.signal });
      held({ signals: [request.signal, clone.signal, forwarded.signal], cloneBody: await clone.text() });
      await new Promise((resolve) => request.signal.addEventListener('abort', resolve, { once: true }));
      return new Response('gone');
    };
    await withServer(handler, async (url) => {
      const client = new AbortController();
      const call = fetch(`${url}/wait`, { method: 'POST', body: '{"amount":"1.00"}', signal: client.signal });
      const { signals, cloneBody } = await seenHeld;
      assert.equal(cloneBody, '{"amount":"1.00"}');
      assert.deepEqual(
        signals.map((signal) => signal.aborted),
        [false, false, false],
      );
      const aborted = new Promise((resolve) => signals[0].addEventListener('abort', resolve, { once: true }));
      client.abort();
      await assert.rejects(call, { name: 'AbortError' });
      await aborted;
      assert.deepEqual(
        signals.map((signal) => signal.aborted),
        [true, true, true],
      );
    });
  });

  it('does not abort the signal of a request that was answered', async () => {
    let signal: AbortSignal | undefined;
    await withServer(
      (request) => {
        signal = request.signal;
        return Promise.resolve(new Response('ok'));
      },
      async (url) => {
        assert.equal(await (await fetch(url)).text(), 'ok');
      },
    );
    assert.equal(signal?.aborted, false);
  });

  it('answers a handler that throws with a plain 500 and no stack trace', async () => {
    const handler: FetchHandler = () => Promise.reject(new Error('secret internals at /srv/app.js:12'));
    await withServer(handler, async (url) => {
      const response = await fetch(url);
      assert.equal(response.status, 500);
      const text = await response.text();
      assert.doesNotMatch(text, /secret internals|app\.js/);
      assert.equal((JSON.parse(text) as { code: string }).code, 'INTERNAL');
    });
  });

  it('closes even while a client keeps a connection open', async () => {
    const server = await serve(() => Promise.resolve(new Response('ok')));
    await (await fetch(server.url, { keepalive: true })).text();
    await server.close();
    await assert.rejects(fetch(server.url));
  });
});
