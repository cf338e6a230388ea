import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendUnderTest, order } from './support/backend-under-test.js';
import { recordingLogger } from './support/recording-logger.js';

/**
 * The DQR notification payload is undocumented: the backend reads a notification as a hint only,
 * refuses signed JSON with a key given twice, and logs the keys (never the values) of each shape
 * it has not seen before.
 */
describe('IPN payloads', () => {
  const asText = { 'content-type': 'text/plain' };

  it('refuses an envelope with a key twice, even when the last one is the signed one', async () => {
    const { call, client, snsEnvelope } = backendUnderTest();
    await call('POST', '/qr', order('ORD-1'));
    client.status.set('ORD-1', { status: 'SUCCESS' });
    const envelope = snsEnvelope({ Type: 'Notification', Message: JSON.stringify({ merchantOrderId: 'ORD-1' }) });
    const twice = JSON.stringify(envelope).replace(
      '"Type":',
      '"Message":"{\\"merchantOrderId\\":\\"ORD-2\\"}","Type":',
    );
    const answer = await call('POST', '/ipn', twice, asText);
    assert.equal(answer.status, 400);
    assert.match(answer.body.message!, /key twice/);
    assert.deepEqual(client.calls.getStatus, []);
    assert.equal((await call('GET', '/qr/ORD-1')).body.status, 'pending');
  });

  it('refuses a signed message with a key twice: which order it names is anyone’s guess', async () => {
    const { call, client, snsEnvelope } = backendUnderTest();
    await call('POST', '/qr', order('ORD-1'));
    client.status.set('ORD-1', { status: 'SUCCESS' });
    const envelope = snsEnvelope({
      Type: 'Notification',
      Message: '{"merchantOrderId":"ORD-9","merchantOrderId":"ORD-1"}',
    });
    const answer = await call('POST', '/ipn', JSON.stringify(envelope), asText);
    assert.equal(answer.status, 400);
    assert.match(answer.body.message!, /message has a key twice/);
    assert.deepEqual(client.calls.getStatus, []);
  });

  it('logs the key set of each shape not seen before, once, and never a value', async () => {
    const { logger, lines } = recordingLogger();
    const { call, notify } = backendUnderTest({ logger });
    await call('POST', '/qr', order('ORD-1'));
    const payment = {
      merchantOrderId: 'ORD-1',
      status: 'SUCCESS',
      storeId: 'STORE-SECRET-7',
      sellerOrderId: 'UPI-123456789012',
      detail: { payerVpa: 'customer@okbank', tags: [{ code: 'X1' }] },
    };
    await notify(payment);
    await notify({ ...payment, sellerOrderId: 'UPI-999999999999' });
    await notify({ merchantOrderId: 'ORD-UNKNOWN', status: 'SUCCESS' });
    const shapes = lines.filter((line) => Array.isArray(line.keys));
    assert.deepEqual(
      shapes.map((line) => line.keys),
      [
        [
          'detail',
          'detail.payerVpa',
          'detail.tags',
          'detail.tags[].code',
          'merchantOrderId',
          'sellerOrderId',
          'status',
          'storeId',
        ],
        ['merchantOrderId', 'status'],
      ],
    );
    for (const value of ['ORD-1', 'STORE-SECRET-7', 'UPI-', 'customer@okbank', 'X1', 'SUCCESS', 'ORD-UNKNOWN']) {
      assert.ok(
        shapes.every((line) => !line.raw.includes(value)),
        `${value} reached the log`,
      );
    }
  });

  it('logs a message that is not JSON as a shape of its own, and ignores it', async () => {
    const { logger, lines } = recordingLogger();
    const { call, snsEnvelope, client } = backendUnderTest({ logger });
    const envelope = snsEnvelope({ Type: 'Notification', Message: 'payment ORD-1 received' });
    assert.deepEqual((await call('POST', '/ipn', JSON.stringify(envelope), asText)).body, { result: 'ignored' });
    await call('POST', '/ipn', JSON.stringify(snsEnvelope({ Type: 'Notification', Message: 'again' })), asText);
    const shapes = lines.filter((line) => Array.isArray(line.keys));
    assert.deepEqual(
      shapes.map((line) => [line.keys, line.payloadType]),
      [[[], 'string']],
    );
    assert.ok(!shapes[0].raw.includes('ORD-1'));
    assert.deepEqual(client.calls.getStatus, []);
  });
});
