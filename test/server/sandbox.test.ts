import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import { snsStringToSign, type SnsMessage } from '../../src/server/sns.js';
import { AmazonPayError } from '../../src/server/amazon-pay/types.js';
import { verifyResponseSignature } from '../../src/server/signing.js';
import { expiryText, generateQrBody, MERCHANT, sandboxOverHttp } from './support/sandbox-server.js';

let env: Awaited<ReturnType<typeof sandboxOverHttp>>;
let serial = 0;

before(async () => {
  env = await sandboxOverHttp();
});
after(() => env.close());

/** The sandbox's own behaviour over HTTP: the customer's controls, notifications, expiry, faults. */
describe('sandbox', () => {
  async function newOrder(amount = '120.00', expiresInSeconds = 120) {
    const orderId = `SBX-${++serial}`;
    await env.client().generateQr({
      orderId,
      amount,
      expiresAt: new Date(env.now() + expiresInSeconds * 1000),
      distributionTypes: ['QR_STRING'],
    });
    return orderId;
  }

  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${env.baseUrl}/control${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('plays the customer paying over HTTP and notifies the backend with a signed SNS envelope', async () => {
    const orderId = await newOrder();
    const before = env.deliveries.length;
    const paid = await control('POST', `/orders/${orderId}/pay`);
    assert.equal(paid.status, 200);
    assert.equal(((await paid.json()) as { status: string }).status, 'SUCCESS');
    await env.sandbox.settled();

    const delivery = env.deliveries[before];
    assert.match(delivery.headers.get('content-type')!, /^text\/plain/);
    const envelope = JSON.parse(delivery.body) as SnsMessage;
    assert.equal(envelope.Type, 'Notification');
    assert.deepEqual(JSON.parse(envelope.Message), {
      merchantId: 'A1TESTMERCHANT',
      merchantOrderId: orderId,
      status: 'SUCCESS',
      amazonChargeId: env.sandbox.order(orderId)!.charge!.amazonChargeId,
      amount: '120.00',
    });
    assert.ok(envelope.SigningCertURL.startsWith(`${env.url}/sandbox/`));
    const certificate = await (await fetch(envelope.SigningCertURL)).text();
    const signed = Buffer.from(snsStringToSign(envelope));
    assert.ok(verify('sha256', signed, certificate, Buffer.from(envelope.Signature, 'base64')));
    const forged = { ...envelope, Message: envelope.Message.replace('SUCCESS', 'FAILED') };
    assert.ok(
      !verify('sha256', Buffer.from(snsStringToSign(forged)), certificate, Buffer.from(envelope.Signature, 'base64')),
    );
  });

  it('retries a notification the backend does not accept, three times, then gives up', async () => {
    const orderId = await newOrder();
    const before = env.deliveries.length;
    env.receiver.status = 500;
    env.sandbox.pay(orderId);
    await env.sandbox.settled();
    env.receiver.status = 200;
    assert.equal(env.deliveries.length - before, 4);
  });

  it('scopes a fault to one API and one order, for a time set on its clock', async () => {
    const [first, second] = [await newOrder(), await newOrder()];
    const client = env.client({ retries: 0 });
    env.sandbox.pay(first, { notify: false });
    env.sandbox.pay(second, { notify: false });
    const refund = (orderId: string) =>
      client.refund({ refundId: `R-${orderId}`, chargeId: orderId, chargeIdType: 'MerchantTxnId', amount: '1.00' });
    const setting = await control('POST', '/faults', { status: 503, forMs: 300_000, api: 'refund', orderId: first });
    assert.deepEqual(await setting.json(), { status: 503, forMs: 300_000, api: 'refund', orderId: first });
    for (let call = 0; call < 3; call += 1) {
      await assert.rejects(refund(first), (error: AmazonPayError) => error.status === 503);
    }
    assert.equal((await client.getStatus(first)).status, 'SUCCESS', 'other APIs answer');
    assert.equal((await refund(second)).status, 'Approved', 'other orders are refunded');
    env.advance(300_000);
    assert.equal((await refund(first)).status, 'Approved', 'the outage ends on time');
    assert.deepEqual(env.sandbox.faults.current({ api: 'refund', orderId: first }), { api: 'refund', orderId: first });

    await control('POST', '/faults', { dropIpn: 1, orderId: second });
    assert.equal(env.sandbox.faults.take('dropIpn', { orderId: first }), false);
    assert.equal(env.sandbox.faults.take('dropIpn', { orderId: second }), true);
    const refused = await control('POST', '/faults', { api: 'payments' });
    assert.equal(refused.status, 400);
  });

  it('pays without notifying when told to, and loses notifications on the dropIpn fault', async () => {
    const before = env.deliveries.length;
    env.sandbox.pay(await newOrder(), { notify: false });
    env.sandbox.faults.set({ dropIpn: 1 });
    const dropped = await newOrder();
    env.sandbox.pay(dropped);
    await env.sandbox.settled();
    assert.equal(env.deliveries.length, before);
    assert.deepEqual(env.sandbox.order(dropped)!.notifications, { sent: 0, dropped: 1 });
  });

  it('charges a late payment on a cancelled QR, which the merchant must refund', async () => {
    const orderId = await newOrder();
    await env.client().cancel({ orderId, reason: 'USER_CANCELLATION', refund: true });
    const late = env.sandbox.pay(orderId, { notify: false });
    assert.equal(late.charge!.late, true);
    assert.equal((await env.client().getStatus(orderId)).status, 'SUCCESS');
  });

  it('expires a QR nobody paid, and fails one on request', async () => {
    const expiring = await newOrder('5.00', 60);
    env.advance(61_000);
    assert.equal((await env.client().getStatus(expiring)).status, 'EXPIRED');

    const failing = await newOrder();
    assert.equal((await control('POST', `/orders/${failing}/fail`)).status, 200);
    assert.equal((await env.client().getStatus(failing)).status, 'FAILED');
    const payAfterFail = await control('POST', `/orders/${failing}/pay`);
    assert.equal(payAfterFail.status, 409);
  });

  it('refuses to pay an unknown or already paid order, with a clear message', async () => {
    const unknown = await control('POST', '/orders/NOPE/pay');
    assert.equal(unknown.status, 404);
    assert.match(((await unknown.json()) as { message: string }).message, /NOPE/);
    const orderId = await newOrder();
    env.sandbox.pay(orderId, { notify: false });
    assert.equal((await control('POST', `/orders/${orderId}/pay`)).status, 409);
  });

  it('takes control requests from its own origin only, and a POST as JSON only: no cross-site form pays an order', async () => {
    const orderId = await newOrder();
    const pay = (headers: Record<string, string>) =>
      fetch(`${env.baseUrl}/control/orders/${orderId}/pay`, { method: 'POST', headers, body: '{}' });
    assert.equal((await pay({ 'content-type': 'text/plain' })).status, 415);
    assert.equal((await pay({ 'content-type': 'application/x-www-form-urlencoded' })).status, 415);
    assert.equal((await pay({})).status, 415);
    const json = { 'content-type': 'application/json' };
    assert.equal((await pay({ ...json, origin: 'https://evil.example' })).status, 403);
    assert.equal((await pay({ ...json, 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal(env.sandbox.order(orderId)?.status, 'PENDING');
    assert.equal((await pay({ ...json, origin: env.url, 'sec-fetch-site': 'same-origin' })).status, 200);
  });

  it('shows an order in its ledger and refuses unknown faults', async () => {
    const orderId = await newOrder('77.00');
    const entry = (await (await control('GET', `/orders/${orderId}`)).json()) as { amount: string; status: string };
    assert.deepEqual([entry.amount, entry.status], ['77.00', 'PENDING']);
    const bad = await control('POST', '/faults', { explode: 1 });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /explode/);
    assert.deepEqual(await (await control('POST', '/faults', { latencyMs: 5 })).json(), { latencyMs: 5 });
    assert.deepEqual(await (await control('DELETE', '/faults')).json(), {});
  });

  it('sends a signed SNS subscription confirmation, and records the visit to its SubscribeURL', async () => {
    const before = env.deliveries.length;
    assert.deepEqual(await (await control('POST', '/ipn/subscribe')).json(), { accepted: true });
    const envelope = JSON.parse(env.deliveries[before].body) as SnsMessage;
    assert.equal(envelope.Type, 'SubscriptionConfirmation');
    const certificate = await (await fetch(envelope.SigningCertURL)).text();
    const signature = Buffer.from(envelope.Signature, 'base64');
    assert.ok(verify('sha256', Buffer.from(snsStringToSign(envelope)), certificate, signature));
    assert.equal(env.sandbox.subscriptionConfirmed, false);
    await fetch(envelope.SubscribeURL!);
    assert.equal(env.sandbox.subscriptionConfirmed, true);
  });

  it('answers an unsigned or unknown Amazon call the way Amazon does', async () => {
    const unsigned = await fetch(`${env.baseUrl}/v2/pay/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-amz-client-id': 'A1TESTMERCHANT' },
      body: JSON.stringify({ merchantId: 'A1TESTMERCHANT' }),
    });
    assert.equal(unsigned.status, 401);
    assert.equal(((await unsigned.json()) as { code: string }).code, 'AuthorizationFailed');
    const missing = await fetch(`${env.baseUrl}/v9/nothing`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { code: string }).code, 'NotFound');
  });
});

/** The Amazon endpoints as Amazon's own rules see raw signed requests: fields, signatures, faults. */
describe('sandbox as Amazon Pay, over raw signed HTTP', () => {
  const expiry = (seconds: number) => expiryText(env.now(), seconds);
  const generateBody = (fields: Record<string, unknown> = {}) => generateQrBody(env.now(), fields);
  const generate = (fields?: Record<string, unknown>) =>
    env.signedCall('/v2/pay/token', { body: generateBody(fields) });

  /** The answer's JSON, once its signature verifies as the client would verify it. */
  async function verified(response: Response, method = 'POST') {
    const bodyText = await response.text();
    verifyResponseSignature({
      method,
      url: response.url,
      headers: response.headers,
      bodyText,
      secretKey: MERCHANT.secretKey,
    });
    return JSON.parse(bodyText) as { code?: string; message?: string; [field: string]: unknown };
  }

  it('answers Generate QR with a signed UPI string that names the payee as Amazon encodes it', async () => {
    const response = await generate({ amount: '249.00' });
    assert.equal(response.status, 200);
    const { tokenId, qrPayload } = (await verified(response)) as { tokenId: string; qrPayload: { qrString: string } };
    assert.equal(
      qrPayload.qrString,
      `upi://pay?pa=sandbox%40apl&pn=Sandbox%20Store&am=249.00&cu=INR&mc=8351&tr=${tokenId}&tid=${tokenId}&amzn_mt=pro`,
    );
  });

  it('refuses each invalid Generate QR field with a signed 400 InvalidArguments naming it', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ amount: undefined }, /^amount field is mandatory/],
      [{ amount: '0.00' }, /^amount /],
      [{ amount: '1.005' }, /^amount /],
      [{ currency: 'USD' }, /^currency /],
      [{ orderId: 'not allowed!' }, /^orderId /],
      [{ orderId: 'X'.repeat(36) }, /^orderId /],
      [{ clientId: '05' }, /^clientId /],
      [{ distributionType: [] }, /^distributionType /],
      [{ storeIdType: 'SHOP' }, /^storeIdType /],
      [{ expiryTimestamp: expiry(30) }, /^expiryTimestamp /],
      [{ expiryTimestamp: expiry(900) }, /^expiryTimestamp /],
      [{ expiryTimestamp: '2030-01-01T00:00:00Z' }, /^expiryTimestamp /],
      [{ colour: 'red' }, /colour/],
    ];
    for (const [fields, message] of cases) {
      const response = await generate(fields);
      assert.equal(response.status, 400, JSON.stringify(fields));
      const answer = await verified(response);
      assert.equal(answer.code, 'InvalidArguments');
      assert.match(answer.message!, message);
    }
  });

  it('answers Get status of an order it never saw with 200 NO_RECORD_FOUND, and refuses to cancel it', async () => {
    const status = await env.signedCall(`/v2/pay/token?merchantId=${MERCHANT.merchantId}&merchantOrderId=NEVER-SEEN`, {
      method: 'GET',
    });
    assert.equal(status.status, 200);
    assert.equal((await verified(status, 'GET')).status, 'NO_RECORD_FOUND');
    const cancel = await env.signedCall('/v2/pay/cancel', {
      body: {
        cancelIntent: ['CANCEL_TOKEN'],
        cancellationReason: 'USER_CANCELLATION',
        chargeId: 'NEVER-SEEN',
        chargeIdType: 'MerchantTxnId',
        merchantId: MERCHANT.merchantId,
      },
    });
    assert.equal(cancel.status, 404);
    assert.equal((await verified(cancel)).code, 'IdentifierNotFound');
  });

  it('refuses a tampered body, a wrong or unknown key, an expired signature and a mismatched merchant id', async () => {
    const refusal = async (response: Response) => [response.status, (await verified(response)).code];
    const body = generateBody();
    const tampered = JSON.stringify({ ...body, amount: '1.00' });
    assert.deepEqual(await refusal(await env.signedCall('/v2/pay/token', { body, sent: tampered })), [
      401,
      'AuthorizationFailed',
    ]);
    for (const signer of [{ secretKey: 'not-the-secret' }, { accessKeyId: 'AKSOMEONEELSE' }]) {
      assert.deepEqual(await refusal(await env.signedCall('/v2/pay/token', { body: generateBody(), signer })), [
        401,
        'AuthorizationFailed',
      ]);
    }
    const signedAgo = (seconds: number) => new Date(env.now() - seconds * 1000);
    assert.deepEqual(
      await refusal(await env.signedCall('/v2/pay/token', { body: generateBody(), date: signedAgo(901) })),
      [401, 'AuthorizationExpired'],
    );
    assert.deepEqual(
      await refusal(await env.signedCall('/v2/pay/token', { body: generateBody(), date: signedAgo(899) })),
      [200, undefined],
    );
    assert.deepEqual(
      await refusal(
        await env.signedCall('/v2/pay/token', { body: generateBody(), signer: { merchantId: 'A9OTHERMERCHANT' } }),
      ),
      [400, 'MerchantIdMismatch'],
    );
  });

  it('injects the faults set over HTTP: error statuses, forged signatures, latency, a hang, until cleared', async () => {
    const setFaults = (faults: unknown) =>
      fetch(`${env.baseUrl}/control/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(faults),
      });

    await setFaults({ status: 503, count: 2 });
    for (let call = 0; call < 2; call += 1) {
      const failed = await generate();
      assert.equal(failed.status, 503);
      assert.equal((await verified(failed)).code, 'InternalServerError');
    }
    assert.equal((await generate()).status, 200);

    await setFaults({ badSignature: 1 });
    const forged = await generate();
    await assert.rejects(
      verified(forged),
      (error: unknown) => error instanceof AmazonPayError && error.kind === 'signature',
    );
    await verified(await generate());

    await setFaults({ latencyMs: 80 });
    const started = performance.now();
    await generate();
    assert.ok(performance.now() - started >= 75, 'the answer came before the injected latency');
    await fetch(`${env.baseUrl}/control/faults`, { method: 'DELETE' });

    await setFaults({ hang: 1 });
    await assert.rejects(
      fetch(`${env.baseUrl}/v2/pay/token`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(100) }),
      { name: 'TimeoutError' },
    );
    assert.equal((await generate()).status, 200);
  });
});
