import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import { snsStringToSign, type SnsMessage } from '../../src/server/backend/sns-message.js';
import { sandboxOverHttp } from './support/sandbox-server.js';

/** The sandbox's own behaviour over HTTP: the customer's controls, notifications, expiry, faults. */
describe('sandbox', () => {
  let env: Awaited<ReturnType<typeof sandboxOverHttp>>;
  let serial = 0;

  before(async () => {
    env = await sandboxOverHttp();
  });
  after(() => env.close());

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

  it('sends the SNS subscription confirmation, and records the visit to its SubscribeURL', async () => {
    const before = env.deliveries.length;
    assert.deepEqual(await (await control('POST', '/ipn/subscribe')).json(), { accepted: true });
    const envelope = JSON.parse(env.deliveries[before].body) as SnsMessage;
    assert.equal(envelope.Type, 'SubscriptionConfirmation');
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
