import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { qrTerms, startHttpApp, type HttpApp } from './support/http-app.js';

/**
 * Hostile and malformed input through the Node adapter: each gets a clear 4xx `{code, message}`
 * (a notification is ignored), Amazon is never called, and the server goes on serving.
 */
describe('bad input over HTTP', () => {
  let server: HttpApp;
  let upstream: number;
  before(async () => {
    server = await startHttpApp();
    await server.call('POST', '/qr', qrTerms('KNOWN'));
    upstream = server.upstreamCalls();
  });
  after(async () => {
    assert.equal((await server.call('POST', '/qr', qrTerms('STILL-SERVING'))).status, 201);
    await server.close();
  });

  /** Asserts a 4xx `{code, message}` with nothing sent to Amazon. */
  function refused(answer: { status: number; body: Record<string, unknown> }, status: number, field?: string) {
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.equal(typeof answer.body.code, 'string');
    assert.equal(typeof answer.body.message, 'string');
    assert.doesNotMatch(String(answer.body.message), /at .*\.ts:\d+/);
    if (field) assert.ok((answer.body.fields as Record<string, string>)[field], `names ${field}`);
    assert.equal(server.upstreamCalls(), upstream, 'nothing reached Amazon');
  }

  const badOrderIds = ['ORD\u0000X', 'ORD\nX', 'ÖRDER', 'ORD-💸', 'ORD\u202eX', '../etc', 'x'.repeat(36), ''];
  for (const orderId of badOrderIds) {
    it(`refuses the order id ${JSON.stringify(orderId)}`, async () => {
      refused(await server.call('POST', '/qr', qrTerms(orderId)), 400, 'orderId');
    });
  }

  const badAmounts: unknown[] = [
    '1e3',
    '-1.00',
    '1.001',
    '0',
    '0.00',
    ' 1.00',
    '1,00',
    '١٢٣',
    249,
    null,
    '99999999999.00',
  ];
  for (const amount of badAmounts) {
    it(`refuses the amount ${JSON.stringify(amount)}`, async () => {
      refused(await server.call('POST', '/qr', qrTerms('AMOUNT', { amount })), 400, 'amount');
    });
  }

  const badFields: [string, unknown][] = [
    ['expiresIn', '120'],
    ['expiresIn', 1e9],
    ['currency', 'USD'],
    ['formats', 'string'],
    ['storeId', { $ne: '' }],
    ['admin', true],
    ['__proto__', { paid: true }],
  ];
  for (const [field, value] of badFields) {
    it(`refuses ${field}: ${JSON.stringify(value)}`, async () => {
      const body = `{${JSON.stringify(qrTerms('FIELDS')).slice(1, -1)},${JSON.stringify(field)}:${JSON.stringify(value)}}`;
      refused(await server.call('POST', '/qr', body), 400, field);
    });
  }

  const badCancels: [string, Record<string, unknown>][] = [
    ['refund', { reason: 'USER_CANCELLATION', refund: 'yes' }],
    ['reason', { reason: 'BECAUSE', refund: true }],
    ['noteToCustomer', { reason: 'USER_CANCELLATION', refund: true, noteToCustomer: 'bell\u0007' }],
    ['noteToCustomer', { reason: 'USER_CANCELLATION', refund: true, noteToCustomer: 'rtl\u202eevil' }],
    ['noteToCustomer', { reason: 'USER_CANCELLATION', refund: true, noteToCustomer: 'x'.repeat(101) }],
  ];
  for (const [field, body] of badCancels) {
    it(`refuses a cancel with a bad ${field}: ${JSON.stringify(body[field]).slice(0, 30)}`, async () => {
      refused(await server.call('POST', '/qr/KNOWN/cancel', body), 400, field);
    });
  }

  it('accepts unicode that is printable in a note (and sends it signed)', async () => {
    const answer = await server.call('POST', '/qr/KNOWN/cancel', {
      reason: 'USER_CANCELLATION',
      refund: true,
      noteToCustomer: 'धन्यवाद — ₹ refunded',
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.status, 'cancelled');
    upstream = server.upstreamCalls();
  });

  for (const path of ['/qr/..%2F..%2Fetc/cancel', '/qr/..%2fetc', '/qr/a%2Fb', '/qr/%00', '/qr/%E0%A4']) {
    it(`refuses the path ${path}`, async () => {
      const method = path.endsWith('/cancel') ? 'POST' : 'GET';
      const body = method === 'POST' ? { reason: 'USER_CANCELLATION', refund: true } : undefined;
      refused(await server.call(method, path, body), 400, 'orderId');
    });
  }

  it('answers encoded dot segments, which URL parsing resolves, with a JSON 404', async () => {
    refused(await server.call('GET', '/qr/%2e%2e/%2e%2e/sandbox/control/orders'), 404);
  });

  it('answers a raw dot-dot path outside the API with a JSON 404', async () => {
    const answer = await new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const url = new URL(server.origin);
      request({ host: url.hostname, port: url.port, path: '/api/dqr/qr/../../../etc/passwd' }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
      })
        .on('error', reject)
        .end();
    });
    refused(answer, 404);
  });

  it('refuses malformed JSON, a JSON array and an empty body with 400', async () => {
    refused(await server.call('POST', '/qr', '{"orderId": "X",'), 400);
    refused(await server.call('POST', '/qr', '[]'), 400);
    refused(await server.call('POST', '/qr', ''), 400);
  });

  for (const type of [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonx',
  ]) {
    it(`refuses the content type ${type} with 415`, async () => {
      refused(await server.call('POST', '/qr', JSON.stringify(qrTerms('TYPE')), { 'content-type': type }), 415);
    });
  }

  it('refuses a body past the limit with 413, declared or streamed', async () => {
    const huge = JSON.stringify(qrTerms('HUGE', { pad: 'x'.repeat(1024 * 1024) }));
    refused(await server.call('POST', '/qr', huge), 413);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let chunk = 0; chunk < 64; chunk += 1) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        controller.close();
      },
    });
    const response = await fetch(`${server.origin}/api/dqr/qr`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    refused({ status: response.status, body: (await response.json()) as Record<string, unknown> }, 413);
  });

  it('ignores forged notifications: bad signature, foreign or look-alike certificate host, not JSON, missing fields', async () => {
    server.sandbox.pay('KNOWN', { notify: false });
    const ipn = (body: string) =>
      fetch(`${server.origin}/api/dqr/ipn`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body }).then(
        async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> }),
      );
    const envelope = {
      Type: 'Notification',
      MessageId: 'forged-1',
      TopicArn: 'arn:aws:sns:eu-west-1:000000000000:amazonpay-dqr-sandbox',
      Message: JSON.stringify({ merchantOrderId: 'KNOWN', status: 'SUCCESS' }),
      Timestamp: new Date().toISOString(),
      SignatureVersion: '2',
      Signature: Buffer.from('forged').toString('base64'),
      SigningCertURL: `${server.origin}/sandbox/sns/cert.pem`,
    };
    refused(await ipn(JSON.stringify(envelope)), 400);
    refused(await ipn(JSON.stringify({ ...envelope, SigningCertURL: 'https://evil.example/cert.pem' })), 400);
    refused(
      await ipn(
        JSON.stringify({ ...envelope, SigningCertURL: 'https://sns.eu-west-1.amazonaws.com.evil.example/c.pem' }),
      ),
      400,
    );
    refused(await ipn('not json'), 400);
    refused(await ipn(JSON.stringify({ Type: 'Notification' })), 400);
    assert.equal((await server.call('GET', '/qr/KNOWN')).body.status, 'cancelled');
  });
});
