import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { knownText, textResponse } from '../../src/server/answer-text.js';
import { readUpTo } from '../../src/server/body.js';
import { createApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config/index.js';
import { createLogger } from '../../src/server/log.js';
import { serve } from '../../src/server/node-adapter.js';

const BODY = '{"status":"PENDING","amount":"₹ 249.00"}';
const answer = () => textResponse(BODY, { status: 201, headers: { 'content-type': 'application/json', 'x-a': '1' } });

describe("the server's own answers are Responses like any other", () => {
  it('reads as JSON, as text, as bytes and as a stream, once', async () => {
    assert.deepEqual(await answer().json(), JSON.parse(BODY));
    assert.equal(await answer().text(), BODY);
    assert.equal(new TextDecoder().decode(await answer().arrayBuffer()), BODY);
    assert.equal(
      await answer()
        .blob()
        .then((blob) => blob.text()),
      BODY,
    );

    const streamed = answer();
    assert.equal(streamed.bodyUsed, false);
    const reader = streamed.body!.getReader();
    const chunks: Uint8Array[] = [];
    for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
    assert.equal(Buffer.concat(chunks).toString('utf8'), BODY);
    assert.equal(streamed.bodyUsed, true);
    await assert.rejects(streamed.text(), TypeError);
    assert.throws(() => streamed.clone(), TypeError);
  });

  it('keeps its status and headers, and labels a text nobody typed as plain text', async () => {
    const response = answer();
    assert.equal(response.status, 201);
    assert.equal(response.ok, true);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('x-a'), '1');
    const untyped = textResponse('hello', { status: 200 });
    assert.equal(untyped.headers.get('content-type'), new Response('hello').headers.get('content-type'));
  });

  it('carries no body on a status that has none', async () => {
    for (const status of [204, 304]) {
      const empty = textResponse('', { status });
      assert.equal(empty.status, status);
      assert.equal(empty.body, null);
      assert.equal(knownText(empty), undefined);
    }
  });

  it('clones into answers read on their own, and wraps into another Response', async () => {
    const response = answer();
    const copy = response.clone();
    assert.equal(await copy.text(), BODY);
    assert.equal(await response.text(), BODY);

    const wrapped = new Response(answer().body, answer());
    assert.equal(wrapped.status, 201);
    assert.equal(await wrapped.text(), BODY);
  });

  it('gives its text to the server without a read, and not once the body was read', async () => {
    const response = answer();
    assert.equal(knownText(response), BODY);
    assert.equal(await readUpTo(response, 1024), BODY);
    assert.equal(response.bodyUsed, false);
    await response.text();
    assert.equal(knownText(response), undefined);
    assert.equal(knownText(new Response(BODY)), undefined);
  });

  it('is cut off past a read limit, counted in bytes', async () => {
    const bytes = Buffer.byteLength(BODY);
    assert.equal(await readUpTo(answer(), bytes), BODY);
    assert.equal(await readUpTo(answer(), bytes - 1), undefined);
  });

  it("is a plain Response to whoever calls the app's fetch but the Node adapter, and written whole by the adapter", async () => {
    let origin = '';
    const app = await createApp(loadConfig({ DQR_STORE: 'memory', LOG_LEVEL: 'silent' }), {
      origin: () => origin,
      backend: { onError: () => undefined, logger: createLogger({ level: 'silent' }) },
    });
    const server = await serve(app.fetch);
    origin = server.url;
    try {
      const body = JSON.stringify({ orderId: 'TEXT-1', amount: '249.00', currency: 'INR', expiresIn: 120 });
      const request = () =>
        new Request(`${origin}/api/dqr/qr`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const direct = await app.fetch(request());
      assert.equal(direct.status, 201);
      // Deno, Bun and Workers send a Response from its own body, as the platform's methods read it.
      const platformText = (response: Response) => Response.prototype.text.call(response.clone());
      const view = JSON.parse(await platformText(direct)) as { orderId: string; qrString: string };
      assert.deepEqual(await direct.json(), view);
      assert.equal(view.orderId, 'TEXT-1');
      assert.match(view.qrString, /^upi:\/\/pay\?/);

      const overHttp = await fetch(`${origin}/api/dqr/qr/TEXT-1`);
      const text = await overHttp.text();
      assert.equal(overHttp.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(overHttp.headers.get('content-length'), String(Buffer.byteLength(text)));
      const inProcess = await app.fetch(new Request(`${origin}/api/dqr/qr/TEXT-1`));
      // The same view either way, read a moment apart.
      const withoutTime = ({ serverTime, ...rest }: { serverTime: string }) => (assert.ok(serverTime), rest);
      assert.deepEqual(
        withoutTime(JSON.parse(text)),
        withoutTime(JSON.parse(await platformText(inProcess)) as { serverTime: string }),
      );
      assert.equal(JSON.parse(text).orderId, 'TEXT-1');
      const paid = await app.fetch(
        new Request(`${origin}/sandbox/control/orders/TEXT-1/pay`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }),
      );
      assert.equal(paid.status, 200);
      assert.notEqual(await platformText(paid), '', "the sandbox's answers too");
    } finally {
      await app.close();
      await server.close();
    }
  });
});
