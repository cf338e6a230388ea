import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AmazonPayError } from '../../src/server/amazon-pay/types.js';
import { createMemoryStore, HttpError, StoreUnavailableError } from '../../src/server/backend/index.js';
import { lateRefundId } from '../../src/server/backend/late-payments.js';
import { backendUnderTest, order } from './support/backend-under-test.js';

/**
 * The contract handler over a scripted Amazon Pay: input rules, error answers, idempotency, the
 * cancel cases, hooks, CORS and the IPN endpoint's verification. Every answer is also checked
 * against docs/openapi.yaml (in `call`).
 */
describe('backend: input rules', () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['missing orderId', { orderId: undefined }, 'orderId', /required/],
    ['orderId with a space', { orderId: 'ORD 1' }, 'orderId', /1 to 35 characters/],
    ['orderId non-ASCII', { orderId: 'ORDé' }, 'orderId', /1 to 35 characters/],
    ['orderId too long', { orderId: 'A'.repeat(36) }, 'orderId', /1 to 35/],
    ['amount as a number', { amount: 249 }, 'amount', /decimal string/],
    ['amount with three decimals', { amount: '1.005' }, 'amount', /two decimals/],
    ['amount zero', { amount: '0.00' }, 'amount', /at least 0.01/],
    ['currency USD', { currency: 'USD' }, 'currency', /INR/],
    ['expiresIn below 60', { expiresIn: 59 }, 'expiresIn', /60 to 600/],
    ['expiresIn above 600', { expiresIn: 601 }, 'expiresIn', /60 to 600/],
    ['expiresIn fractional', { expiresIn: 90.5 }, 'expiresIn', /whole number/],
    ['storeId too long', { storeId: 'S'.repeat(65) }, 'storeId', /1 to 64/],
    ['terminalId with a slash', { terminalId: 'T/1' }, 'terminalId', /1 to 64/],
    ['formats empty', { formats: [] }, 'formats', /non-empty/],
    ['formats unknown', { formats: ['svg'] }, 'formats', /"string" and "image"/],
    ['formats repeated', { formats: ['string', 'string'] }, 'formats', /distinct/],
    ['an unknown field', { colour: 'red' }, 'colour', /not a field/],
  ];
  for (const [name, change, field, message] of cases) {
    it(`refuses ${name}, naming ${field}`, async () => {
      const { call, client } = backendUnderTest();
      const { status, body } = await call('POST', '/qr', { ...order('ORD-1'), ...change });
      assert.equal(status, 400);
      assert.equal(body.code, 'INVALID_REQUEST');
      assert.deepEqual(Object.keys(body.fields), [field]);
      assert.match(body.fields[field], message);
      assert.equal(client.calls.generateQr.length, 0, 'Amazon never sees invalid input');
    });
  }

  it('names every bad field at once, one sentence each', async () => {
    const { call } = backendUnderTest();
    const { body } = await call('POST', '/qr', { orderId: '', amount: 'x', currency: 'INR', expiresIn: 5, extra: 1 });
    assert.deepEqual(Object.keys(body.fields).sort(), ['amount', 'expiresIn', 'extra', 'orderId']);
    assert.equal(body.message, Object.values(body.fields).join(' '));
  });

  it('checks cancel bodies: reason, refund, noteToCustomer and unknown fields', async () => {
    const { call } = backendUnderTest();
    await call('POST', '/qr', order('ORD-1'));
    const { status, body } = await call('POST', '/qr/ORD-1/cancel', {
      reason: 'BORED',
      refund: 'yes',
      noteToCustomer: 'bell\u0007',
      why: 1,
    });
    assert.equal(status, 400);
    assert.deepEqual(Object.keys(body.fields).sort(), ['noteToCustomer', 'reason', 'refund', 'why']);
    const long = await call('POST', '/qr/ORD-1/cancel', {
      reason: 'USER_CANCELLATION',
      refund: true,
      noteToCustomer: 'n'.repeat(101),
    });
    assert.deepEqual(Object.keys(long.body.fields), ['noteToCustomer']);
  });

  it('refuses control characters in a path order id and a bad wait', async () => {
    const { call } = backendUnderTest();
    assert.equal((await call('GET', '/qr/ORD%0A1')).status, 400);
    assert.equal((await call('GET', '/qr/ORD%E2%82%B9')).status, 400);
    for (const wait of ['31', '-1', '1.5', 'soon', '']) {
      const { status, body } = await call('GET', `/qr/ORD-1?wait=${wait}`);
      assert.equal(status, 400, `wait=${wait}`);
      assert.deepEqual(Object.keys(body.fields), ['wait']);
    }
  });
});

describe('backend: HTTP errors', () => {
  it('answers 415 for a body that is not JSON, 400 for JSON that does not parse', async () => {
    const { call } = backendUnderTest();
    const form = await call('POST', '/qr', 'orderId=1', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 415);
    assert.equal(form.body.code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal((await call('POST', '/qr', '{"orderId":', { 'content-type': 'application/json' })).status, 400);
  });

  it('answers 413 while reading a body over the limit, without a content-length', async () => {
    const { backend } = backendUnderTest({ bodyLimit: 1024 });
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > 100) controller.close();
        else controller.enqueue(new Uint8Array(512).fill(32));
      },
    });
    const request = new Request('http://shop.test/api/dqr/qr', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    const response = await backend.fetch(request);
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as { code: string }).code, 'PAYLOAD_TOO_LARGE');
    assert.ok(pulled < 10, 'stops reading at the limit');
  });

  it('answers 405 with Allow, 404 for unknown orders and paths, never a stack trace', async () => {
    const { call } = backendUnderTest({
      checkOrder: () => {
        throw new TypeError('database exploded at line 12');
      },
    });
    const wrong = await call('DELETE', '/qr/ORD-1');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET');
    assert.equal((await call('GET', '/qr/ORD-404')).body.code, 'NOT_FOUND');
    assert.equal((await call('GET', '/elsewhere')).status, 404);
    const broken = await call('POST', '/qr', order('ORD-1'));
    assert.deepEqual(broken.body, { code: 'INTERNAL', message: 'Something went wrong on the server.' });
  });

  const upstream: [string, AmazonPayError, number, string][] = [
    ['a network failure', new AmazonPayError('network', 'network', 'refused'), 503, 'UPSTREAM_UNAVAILABLE'],
    ['a 5xx', new AmazonPayError('response', 'InternalServerError', 'oops', 500), 503, 'UPSTREAM_UNAVAILABLE'],
    ['a timeout', new AmazonPayError('timeout', 'timeout', 'slow'), 504, 'UPSTREAM_TIMEOUT'],
    ['a forged signature', new AmazonPayError('signature', 'signature', 'bad'), 502, 'UPSTREAM_ERROR'],
    [
      'refused credentials',
      new AmazonPayError('response', 'AuthorizationFailed', 'The access key id is not known', 401),
      502,
      'UPSTREAM_ERROR',
    ],
    [
      'an unknown store',
      new AmazonPayError('response', 'IdentifierNotFound', 'Store STORE-9 of merchant A1MID not found', 404),
      404,
      'NOT_FOUND',
    ],
  ];
  for (const [name, error, status, code] of upstream) {
    it(`answers ${status} ${code} for ${name} without Amazon's words (they are logged), and the order can be created after`, async () => {
      const { call, client, logged } = backendUnderTest();
      client.failNext('generateQr', error);
      const failed = await call('POST', '/qr', order('ORD-1'));
      assert.equal(failed.status, status);
      assert.equal(failed.body.code, code);
      assert.ok(!failed.body.message!.includes(error.message) && !failed.body.message!.includes(error.code));
      assert.ok(logged.some((line) => (line.err as { message?: string } | undefined)?.message === error.message));
      assert.equal((await call('POST', '/qr', order('ORD-1'))).status, 201);
    });
  }
});

describe('backend: creating orders', () => {
  it('creates (201), resumes with the same QR and expiry (200), refuses other terms (409)', async () => {
    const { call, advance } = backendUnderTest();
    const created = await call('POST', '/qr', order('ORD-1', { formats: ['string', 'image'] }));
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'pending');
    assert.equal(created.body.expiresAt, '2025-01-15T10:32:00.000Z');
    advance(30_000);
    const again = await call('POST', '/qr', order('ORD-1', { amount: '249', formats: ['image', 'string'] }));
    assert.equal(again.status, 200);
    assert.equal(again.body.qrString, created.body.qrString);
    assert.equal(again.body.expiresAt, created.body.expiresAt);
    assert.equal(again.body.serverTime, '2025-01-15T10:30:30.000Z');
    for (const terms of [{ amount: '250.00' }, { expiresIn: 300 }, { storeId: 'S2' }, { formats: ['image'] }]) {
      const conflict = await call('POST', '/qr', order('ORD-1', terms));
      assert.equal(conflict.status, 409, JSON.stringify(terms));
      assert.equal(conflict.body.code, 'ORDER_CONFLICT');
    }
  });

  it('makes one Generate-QR call for concurrent requests of one order', async () => {
    const { call, client } = backendUnderTest();
    const answers = await Promise.all([1, 2, 3].map(() => call('POST', '/qr', order('ORD-1'))));
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 200, 201]);
    assert.equal(new Set(answers.map((answer) => answer.body.qrString)).size, 1);
    assert.equal(client.calls.generateQr.length, 1);
  });

  it('answers a repeated create of an order that is over with how it ended, and never makes it again', async () => {
    const { call, client, notify } = backendUnderTest();
    await call('POST', '/qr', order('ORD-PAID'));
    client.status.set('ORD-PAID', { status: 'SUCCESS', amazonChargeId: 'P04-7654321-7654321' });
    await notify({ merchantOrderId: 'ORD-PAID' });
    assert.equal((await call('GET', '/qr/ORD-PAID')).body.status, 'paid');
    await call('POST', '/qr', order('ORD-GONE'));
    await call('POST', '/qr/ORD-GONE/cancel', { reason: 'USER_CANCELLATION', refund: true });

    // A till that reloads after the customer paid hears "paid", not an error to take cash over.
    const paid = await call('POST', '/qr', order('ORD-PAID'));
    assert.equal(paid.status, 200);
    assert.equal(paid.body.status, 'paid');
    assert.equal(paid.body.amazonChargeId, 'P04-7654321-7654321');
    assert.equal(paid.body.qrString, undefined);
    const cancelled = await call('POST', '/qr', order('ORD-GONE'));
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal(cancelled.body.qrString, undefined);
    const reused = await call('POST', '/qr', order('ORD-GONE', { amount: '250.00' }));
    assert.equal(reused.status, 409);
    assert.equal(reused.body.code, 'ORDER_CONFLICT');
    assert.equal(client.calls.generateQr.length, 2);
  });

  it('lets the authorize and checkOrder hooks refuse with their own answer', async () => {
    const seen: string[] = [];
    const { call, client } = backendUnderTest({
      authorize: (request, { action, orderId }) => {
        seen.push(`${action} ${orderId}`);
        if (request.headers.get('authorization') !== 'Bearer cashier') {
          throw new HttpError(401, 'UNAUTHORIZED', 'Sign in to take payments.');
        }
      },
      checkOrder: ({ amount }) => {
        if (amount !== '249.00') throw new HttpError(409, 'ORDER_CONFLICT', 'The amount does not match order ORD-1.');
      },
    });
    const anonymous = await call('POST', '/qr', order('ORD-1'));
    assert.deepEqual([anonymous.status, anonymous.body.message], [401, 'Sign in to take payments.']);
    const auth = { authorization: 'Bearer cashier' };
    const wrongAmount = await call('POST', '/qr', order('ORD-1', { amount: '1.00' }), auth);
    assert.deepEqual([wrongAmount.status, wrongAmount.body.message], [409, 'The amount does not match order ORD-1.']);
    assert.equal(client.calls.generateQr.length, 0);
    assert.equal((await call('POST', '/qr', order('ORD-1'), auth)).status, 201);
    assert.equal((await call('GET', '/qr/ORD-1')).status, 401);
    assert.deepEqual(seen, ['create ORD-1', 'create ORD-1', 'create ORD-1', 'status ORD-1']);
  });
});

describe('backend: cancelling', () => {
  const cancel = { reason: 'USER_CANCELLATION', refund: true };

  it('cancels a pending order (Approved) once, even for concurrent requests', async () => {
    const { call, client } = backendUnderTest();
    await call('POST', '/qr', order('ORD-1'));
    const answers = await Promise.all([
      call('POST', '/qr/ORD-1/cancel', cancel),
      call('POST', '/qr/ORD-1/cancel', cancel),
    ]);
    for (const answer of answers) {
      assert.equal(answer.body.status, 'cancelled');
      assert.deepEqual(answer.body.cancel, { outcome: 'Approved', refund: true });
      assert.equal(answer.body.qrString, undefined, 'no QR for an order that is over');
    }
    assert.equal((await call('POST', '/qr/ORD-1/cancel', cancel)).body.status, 'cancelled');
    assert.equal(client.calls.cancel.length, 1);
  });

  it('reports a payment the cancel found, with its charge id', async () => {
    const { call, client } = backendUnderTest();
    await call('POST', '/qr', order('ORD-1'));
    client.cancelResult = { status: 'RefundApplicable', amazonChargeId: 'P04-1234567-1234567' };
    const { body } = await call('POST', '/qr/ORD-1/cancel', cancel);
    assert.equal(body.status, 'cancelled');
    assert.equal(body.amazonChargeId, 'P04-1234567-1234567');
    assert.deepEqual(body.cancel, { outcome: 'RefundApplicable', refund: true });
  });

  it('answers a paid order unchanged, without cancelling anything', async () => {
    const { call, client, advance } = backendUnderTest();
    await call('POST', '/qr', order('ORD-1'));
    client.status.set('ORD-1', { status: 'SUCCESS', amazonChargeId: 'P04-7654321-7654321' });
    advance(120_000);
    const { body } = await call('POST', '/qr/ORD-1/cancel', { reason: 'SESSION_EXPIRED', refund: true });
    assert.equal(body.status, 'paid');
    assert.equal(body.cancel, undefined);
    assert.equal(client.calls.cancel.length, 0);
  });

  it('still cancels an expired order upstream, keeping it expired', async () => {
    const { call, client, advance } = backendUnderTest();
    await call('POST', '/qr', order('ORD-1'));
    advance(120_000);
    assert.equal((await call('GET', '/qr/ORD-1')).body.status, 'expired');
    const { body } = await call('POST', '/qr/ORD-1/cancel', { reason: 'SESSION_EXPIRED', refund: true });
    assert.equal(body.status, 'expired');
    assert.deepEqual(body.cancel, { outcome: 'Approved', refund: true });
    assert.equal(client.calls.cancel.length, 1);
  });
});

describe('backend: CORS', () => {
  it('adds no CORS headers unless the origin is configured', async () => {
    const closed = backendUnderTest();
    await closed.call('POST', '/qr', order('ORD-1'));
    const answer = await closed.call('GET', '/qr/ORD-1', undefined, { origin: 'https://shop.example' });
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
    assert.equal((await closed.call('OPTIONS', '/qr', undefined, { origin: 'https://shop.example' })).status, 403);
  });

  it('answers preflights and requests from configured origins only', async () => {
    const { call } = backendUnderTest({ corsOrigins: ['https://shop.example'] });
    const preflight = await call('OPTIONS', '/qr', undefined, {
      origin: 'https://shop.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://shop.example');
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
    const created = await call('POST', '/qr', order('ORD-1'), { origin: 'https://shop.example' });
    assert.equal(created.headers.get('access-control-allow-origin'), 'https://shop.example');
    const refused = await call('POST', '/qr', order('ORD-2'), { origin: 'https://evil.example' });
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
  });
});

describe('backend: IPN', () => {
  it('wakes the order on a verified notification (SignatureVersion 1 and 2); Get status decides', async () => {
    for (const version of ['1', '2']) {
      const { call, client, snsEnvelope } = backendUnderTest();
      await call('POST', '/qr', order('ORD-1'));
      client.status.set('ORD-1', { status: 'SUCCESS', amazonChargeId: 'P04-1111111-1111111' });
      const envelope = snsEnvelope(
        { Type: 'Notification', Message: JSON.stringify({ merchantOrderId: 'ORD-1' }) },
        version,
      );
      const answer = await call('POST', '/ipn', JSON.stringify(envelope), { 'content-type': 'text/plain' });
      assert.deepEqual(answer.body, { result: 'accepted' });
      assert.deepEqual(client.calls.getStatus, ['ORD-1']);
      assert.equal((await call('GET', '/qr/ORD-1')).body.status, 'paid');
    }
  });

  it('never believes the notification itself: a SUCCESS message with a PENDING status stays pending', async () => {
    const { call, notify } = backendUnderTest();
    await call('POST', '/qr', order('ORD-1'));
    await notify({ merchantOrderId: 'ORD-1', status: 'SUCCESS' });
    assert.equal((await call('GET', '/qr/ORD-1')).body.status, 'pending');
  });

  it('ignores forged, foreign and malformed envelopes without a status check', async () => {
    const { call, client, notify, fetched } = backendUnderTest();
    await call('POST', '/qr', order('ORD-1'));
    client.status.set('ORD-1', { status: 'SUCCESS' });
    const forged = await notify(
      { merchantOrderId: 'ORD-1' },
      { Message: JSON.stringify({ merchantOrderId: 'ORD-1', x: 1 }) },
    );
    assert.equal(forged.status, 400);
    const foreign = await notify({ merchantOrderId: 'ORD-1' }, { SigningCertURL: 'https://sns.evil.example/cert.pem' });
    assert.equal(foreign.status, 400);
    const plainHttp = await notify(
      { merchantOrderId: 'ORD-1' },
      { SigningCertURL: 'http://sns.eu-west-1.amazonaws.com/c.pem' },
    );
    assert.equal(plainHttp.status, 400);
    assert.equal((await call('POST', '/ipn', 'not json', { 'content-type': 'text/plain' })).status, 400);
    assert.equal((await call('POST', '/ipn', '{"Type":"Notification"}', { 'content-type': 'text/plain' })).status, 400);
    assert.equal(client.calls.getStatus.length, 0);
    assert.ok(
      fetched.every((url) => url.startsWith('http://sns.test/')),
      'no certificate fetched from elsewhere',
    );
    assert.equal((await call('GET', '/qr/ORD-1')).body.status, 'pending');
  });

  it('trusts SNS certificates on sns.<region>.amazonaws.com over https', async () => {
    const { call, client, notify, fetched } = backendUnderTest({ trustedIpnOrigins: () => [] });
    await call('POST', '/qr', order('ORD-1'));
    const certificate =
      'https://sns.ap-south-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem';
    assert.equal((await notify({ merchantOrderId: 'ORD-1' }, { SigningCertURL: certificate })).status, 200);
    assert.deepEqual(fetched, [certificate]);
    assert.deepEqual(client.calls.getStatus, ['ORD-1']);
  });

  it('asks Amazon about an unknown order and changes nothing when nothing was charged; duplicates are harmless', async () => {
    const { call, client, notify } = backendUnderTest();
    assert.deepEqual((await notify({ merchantOrderId: 'ORD-UNKNOWN' })).body, { result: 'ignored' });
    assert.deepEqual(client.calls.getStatus, ['ORD-UNKNOWN'], 'Amazon was asked');
    assert.equal((await call('GET', '/qr/ORD-UNKNOWN')).status, 404);
    assert.deepEqual((await notify({ amount: '1.00' })).body, { result: 'ignored' });
    await call('POST', '/qr', order('ORD-1'));
    client.status.set('ORD-1', { status: 'SUCCESS' });
    await notify({ chargeId: 'ORD-1' });
    await notify({ chargeId: 'ORD-1' });
    assert.equal((await call('GET', '/qr/ORD-1')).body.status, 'paid');
  });

  it('records a charge on an order it has no record of and refunds it as a late payment', async () => {
    const { call, client, notify } = backendUnderTest();
    client.status.set('ORD-LOST', { status: 'SUCCESS', amazonChargeId: 'P04-8888888-8888888', amount: '249.00' });
    assert.deepEqual((await notify({ merchantOrderId: 'ORD-LOST' })).body, { result: 'accepted' });
    assert.deepEqual(
      (await notify({ merchantOrderId: 'ORD-LOST' })).body,
      { result: 'accepted' },
      'a repeat is harmless',
    );
    const refunded = async () => (await call('GET', '/qr/ORD-LOST')).body;
    for (let tries = 0; (await refunded()).latePayment?.refundStatus !== 'Approved' && tries < 50; tries += 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const view = await refunded();
    assert.equal(view.status, 'expired');
    assert.deepEqual(view.latePayment, { amazonChargeId: 'P04-8888888-8888888', refundStatus: 'Approved' });
    assert.deepEqual(
      client.calls.refund.map((refund) => [refund.refundId, refund.chargeId, refund.amount]),
      [[lateRefundId('ORD-LOST'), 'P04-8888888-8888888', '249.00']],
    );
    // The id is spent: a till asking for it again is told to start a new order.
    assert.equal((await call('POST', '/qr', order('ORD-LOST'))).status, 409);
  });

  it('asks SNS to deliver again while the order store cannot be reached', async () => {
    const store = createMemoryStore();
    const { notify } = backendUnderTest({
      store: { ...store, get: () => Promise.reject(new StoreUnavailableError('Redis', new Error('timeout'))) },
    });
    const answer = await notify({ merchantOrderId: 'ORD-ANY' });
    assert.equal(answer.status, 503);
    assert.equal(answer.body.code, 'UPSTREAM_UNAVAILABLE');
  });

  it('confirms a verified subscription by visiting its SubscribeURL', async () => {
    const { call, snsEnvelope, fetched } = backendUnderTest();
    const subscribe = 'http://sns.test/confirm?Token=abc';
    const envelope = snsEnvelope({
      Type: 'SubscriptionConfirmation',
      Message: 'confirm',
      Token: 'abc',
      SubscribeURL: subscribe,
    });
    assert.equal((await call('POST', '/ipn', JSON.stringify(envelope), { 'content-type': 'text/plain' })).status, 200);
    assert.ok(fetched.includes(subscribe));
  });

  it('asks SNS to deliver again when Amazon Pay cannot be asked', async () => {
    const { call, client, notify } = backendUnderTest();
    await call('POST', '/qr', order('ORD-1'));
    client.failNext('getStatus', new AmazonPayError('network', 'network', 'refused'));
    assert.equal((await notify({ merchantOrderId: 'ORD-1' })).status, 503);
  });
});
