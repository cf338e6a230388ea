import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendUnderTest, order } from './support/backend-under-test.js';

/**
 * The order view tells the element about a payment that landed after the order ended, so a
 * cashier's screen can say it is being refunded; an order without one keeps the old shape.
 */
describe('backend: late payments in the order view', () => {
  it('shows a payment that lands after a cancel, with its refund, and keeps the status', async () => {
    const { call, client, notify } = backendUnderTest();
    await call('POST', '/qr', order('ORD-LATE'));
    const cancelled = await call('POST', '/qr/ORD-LATE/cancel', { reason: 'USER_CANCELLATION', refund: true });
    assert.equal(cancelled.body.latePayment, undefined);
    client.status.set('ORD-LATE', { status: 'SUCCESS', amazonChargeId: 'P04-7777777-7777777' });
    await notify({ merchantOrderId: 'ORD-LATE' });
    const { body } = await call('GET', '/qr/ORD-LATE');
    assert.equal(body.status, 'cancelled');
    assert.equal(body.latePayment?.amazonChargeId, 'P04-7777777-7777777');
    assert.ok(['Requested', 'Approved'].includes(body.latePayment?.refundStatus ?? ''));
    assert.deepEqual(Object.keys(body.latePayment ?? {}).sort(), ['amazonChargeId', 'refundStatus']);
  });

  it('has no latePayment while nothing arrived late', async () => {
    const { call } = backendUnderTest();
    const created = await call('POST', '/qr', order('ORD-ON-TIME'));
    assert.equal('latePayment' in created.body, false);
  });
});
