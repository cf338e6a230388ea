import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { AmazonPayError } from '../../src/server/amazon-pay/types.js';
import { createBackend, type Backend } from '../../src/server/backend/index.js';
import { createLogger } from '../../src/server/log.js';
import { serve, type RunningServer } from '../../src/server/node-adapter.js';
import { snsStringToSign, type SnsMessage } from '../../src/server/sns.js';
import { createFakeAmazonPay, type FakeAmazonPay } from './support/fake-amazon-pay.js';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:amazon-pay-dqr';
const SNS = 'https://sns.eu-west-1.amazonaws.com';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = publicKey.export({ type: 'spki', format: 'pem' }) as string;
const certUrl = (hex = 'a'.repeat(32)) => `${SNS}/SimpleNotificationService-${hex}.pem`;

/**
 * The IPN endpoint over real HTTP, with a stand-in for SNS's certificate host that counts what it
 * is asked: every check that can be made without a certificate is made before one is fetched.
 */
describe('notification checks', () => {
  let clock = Date.parse('2025-06-01T09:00:00Z');
  const certificateFetches: string[] = [];
  const subscribeVisits: string[] = [];
  let snsHost: RunningServer;
  let server: RunningServer;
  let backend: Backend;
  let amazon: FakeAmazonPay;

  before(async () => {
    snsHost = await serve(async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname === '/') return (subscribeVisits.push(request.url), new Response('<ConfirmSubscriptionResponse/>'));
      certificateFetches.push(pathname);
      return new Response(PEM);
    });
    amazon = createFakeAmazonPay();
    backend = createBackend({
      client: amazon,
      mode: 'sandbox',
      snsTopicArns: [TOPIC],
      statusJitter: 0,
      now: () => clock,
      logger: createLogger({ level: 'silent' }),
      onError: () => undefined,
      // Amazon SNS's https host, reached at the stand-in.
      fetch: (input, init) => fetch(String(input).replace(SNS, snsHost.url), init),
    });
    server = await serve(backend.fetch);
    const created = await fetch(`${server.url}/api/dqr/qr`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: 'IPN-1', amount: '4999.00', currency: 'INR', expiresIn: 600 }),
    });
    assert.equal(created.status, 201);
  });
  after(async () => {
    backend.close();
    await Promise.all([server.close(), snsHost.close()]);
  });
  beforeEach(() => {
    certificateFetches.length = 0;
    amazon.calls.getStatus.length = 0;
  });

  /** A notification about `IPN-1`, signed with the stand-in's key unless `fields` says otherwise. */
  function envelope(fields: Partial<SnsMessage> = {}, signed = true): SnsMessage {
    const message = {
      Type: 'Notification',
      MessageId: randomBytes(8).toString('hex'),
      TopicArn: TOPIC,
      Message: JSON.stringify({ merchantOrderId: 'IPN-1', status: 'SUCCESS' }),
      Timestamp: new Date(clock).toISOString(),
      SignatureVersion: '2',
      SigningCertURL: certUrl(),
      ...fields,
    } as SnsMessage;
    message.Signature = signed
      ? sign('sha256', Buffer.from(snsStringToSign(message)), privateKey).toString('base64')
      : (fields.Signature ?? Buffer.from('forged').toString('base64'));
    return message;
  }

  /** Delivers `count` envelopes made by `make`, 50 at a time; resolves with every answer's status. */
  async function flood(count: number, make: (n: number) => unknown) {
    const statuses: number[] = [];
    for (let start = 0; start < count; start += 50) {
      const batch = Array.from({ length: Math.min(50, count - start) }, (_, n) => deliver(make(start + n)));
      statuses.push(...(await Promise.all(batch)).map((answer) => answer.status));
    }
    return statuses;
  }

  async function deliver(message: unknown) {
    const response = await fetch(`${server.url}/api/dqr/ipn`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=UTF-8' },
      body: typeof message === 'string' ? message : JSON.stringify(message),
    });
    return { status: response.status, body: (await response.json()) as { code?: string; result?: string } };
  }

  it('fetches nothing for an unsigned envelope, even 2,000 of them', async () => {
    const statuses = await flood(2000, (n) => {
      const { Signature: _, ...unsigned } = envelope({ SigningCertURL: certUrl(randomBytes(16).toString('hex')) });
      return n % 2 ? unsigned : { ...unsigned, Signature: '' };
    });
    assert.deepEqual(new Set(statuses), new Set([400]));
    assert.deepEqual(certificateFetches, []);
  });

  it('fetches nothing for a foreign topic, a stale or future timestamp, or an unknown type', async () => {
    const refused = [
      envelope({ TopicArn: 'arn:aws:sns:eu-west-1:999999999999:someone-else' }),
      envelope({ Timestamp: '2019-03-01T10:00:00.000Z' }),
      envelope({ Timestamp: new Date(clock - 16 * 60_000).toISOString() }),
      envelope({ Timestamp: new Date(clock + 60 * 60_000).toISOString() }),
      envelope({ Timestamp: 'yesterday' }),
      envelope({ Type: 'Surprise' }),
      envelope({ SignatureVersion: '3' }),
    ];
    for (const message of refused) {
      const answer = await deliver(message);
      assert.equal(answer.status, 400, message.TopicArn + message.Timestamp + message.Type);
      assert.equal(answer.body.code, 'INVALID_REQUEST');
    }
    assert.deepEqual(certificateFetches, []);
    assert.deepEqual(amazon.calls.getStatus, []);
  });

  it('fetches certificates only from the exact URL shape SNS uses', async () => {
    const shapes = [
      'http://sns.eu-west-1.amazonaws.com/SimpleNotificationService-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.pem',
      'https://sns.eu-west-1.amazonaws.com.evil.example/SimpleNotificationService-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.pem',
      'https://sns.eu-west-1.amazonaws.com:8443/SimpleNotificationService-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.pem',
      'https://user@sns.eu-west-1.amazonaws.com/SimpleNotificationService-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.pem',
      'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.pem?x=1',
      'https://sns.eu-west-1.amazonaws.com/other/SimpleNotificationService-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.pem',
      'https://sns.eu-west-1.amazonaws.com/cert.pem',
      'https://evil.example/SimpleNotificationService-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.pem',
      'https://s3.amazonaws.com/SimpleNotificationService-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.pem',
    ];
    for (const SigningCertURL of shapes) assert.equal((await deliver(envelope({ SigningCertURL }))).status, 400);
    assert.deepEqual(certificateFetches, []);
  });

  it('handles a signed notification once: replayed 200 times, Amazon is asked once', async () => {
    const message = envelope();
    assert.deepEqual((await deliver(message)).body, { result: 'accepted' });
    for (let n = 0; n < 199; n += 1) assert.deepEqual((await deliver(message)).body, { result: 'duplicate' });
    assert.deepEqual(amazon.calls.getStatus, ['IPN-1']);
    assert.ok(certificateFetches.length <= 1, `fetched ${certificateFetches.length} certificates`);
  });

  it('handles a notification again when its first delivery failed, as SNS delivers it again', async () => {
    amazon.failNext('getStatus', new AmazonPayError('network', 'network', 'unreachable'));
    const message = envelope();
    assert.equal((await deliver(message)).status, 503);
    assert.deepEqual((await deliver(message)).body, { result: 'accepted' });
    assert.equal(amazon.calls.getStatus.length, 2);
  });

  it('keeps a bounded number of certificates, and fetches a few a minute at most for forged envelopes', async () => {
    clock += 60_000;
    const forged = (hex: string) => envelope({ SigningCertURL: certUrl(hex) }, false);
    const statuses = await flood(2000, () => forged(randomBytes(16).toString('hex')));
    assert.ok(statuses.every((status) => status === 400 || status === 503));
    assert.ok(certificateFetches.length <= 10, `fetched ${certificateFetches.length} certificates in a minute`);
    clock += 60_000;
    certificateFetches.length = 0;
    const urls = Array.from({ length: 9 }, (_, n) => n.toString(16).repeat(32));
    for (const hex of urls) await deliver(forged(hex));
    await deliver(forged(urls[8]));
    assert.equal(certificateFetches.length, 9, 'the last one is kept');
    await deliver(forged(urls[0]));
    assert.equal(certificateFetches.length, 10, 'the first one was let go to keep eight');
    assert.deepEqual(amazon.calls.getStatus, []);
  });

  it('confirms a subscription only through an SNS ConfirmSubscription link for the same topic', async () => {
    clock += 60_000;
    const link = (topic: string) =>
      `${SNS}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topic)}&Token=${'t'.repeat(40)}`;
    const subscription = (SubscribeURL: string) =>
      envelope({ Type: 'SubscriptionConfirmation', Message: 'confirm', Token: 't'.repeat(40), SubscribeURL });
    const foreign = await deliver(subscription(link('arn:aws:sns:eu-west-1:999999999999:other')));
    assert.equal(foreign.status, 400);
    assert.equal((await deliver(subscription('https://evil.example/?Action=ConfirmSubscription'))).status, 400);
    assert.deepEqual(subscribeVisits, []);
    assert.deepEqual((await deliver(subscription(link(TOPIC)))).body, { result: 'accepted' });
    assert.equal(subscribeVisits.length, 1);
  });
});
