import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OrderView } from '../../src/contract/types.js';
import { ContractError } from '../../src/session/errors.js';
import { eventFor } from '../../src/session/outcome.js';
import type { SessionState } from '../../src/session/state.js';

const order: OrderView = {
  orderId: 'ORD-1',
  mode: 'production',
  status: 'pending',
  amount: '249.00',
  currency: 'INR',
  expiresAt: '2025-01-01T10:05:00Z',
  serverTime: '2025-01-01T10:00:00Z',
  qrString: 'upi://pay?pa=a@b',
};
const pending: SessionState = { kind: 'pending', order, offline: false };
const down = new ContractError('NETWORK_ERROR', 'The payment server could not be reached.', undefined, true);

describe('what a change of state fires', () => {
  it('fires each end once: paid, expired, cancel, and a failed payment as error PAYMENT_FAILED', () => {
    const paid: SessionState = { kind: 'paid', order: { ...order, status: 'paid', amazonChargeId: 'P04-1' } };
    assert.deepEqual(eventFor(paid, pending), {
      type: 'paid',
      detail: { orderId: 'ORD-1', amount: '249.00', amazonChargeId: 'P04-1' },
    });
    assert.equal(eventFor(paid, paid), undefined);
    assert.equal(eventFor({ kind: 'expired', order }, pending)?.type, 'expired');
    assert.equal(eventFor({ kind: 'cancelled', order }, pending)?.type, 'cancel');
    assert.deepEqual(eventFor({ kind: 'failed', order }, pending), {
      type: 'error',
      detail: {
        code: 'PAYMENT_FAILED',
        message: 'The payment failed. Start a new order to try again.',
        willRetry: false,
      },
    });
  });

  it('fires paid for an expired order that turns out paid, and nothing else after an end', () => {
    const expired: SessionState = { kind: 'expired', order };
    assert.equal(eventFor({ kind: 'paid', order }, expired)?.type, 'paid');
    assert.equal(
      eventFor({ kind: 'expired', order: { ...order, latePayment: { refundStatus: 'Requested' } } }, expired),
      undefined,
    );
  });

  it('reports an outage once, with willRetry, however many retries it takes and across the deadline', () => {
    const first = eventFor({ ...pending, outage: down }, pending);
    assert.deepEqual(first, {
      type: 'error',
      detail: { code: 'NETWORK_ERROR', message: down.message, status: undefined, willRetry: true },
    });
    assert.equal(eventFor({ ...pending, outage: down }, { ...pending, outage: down }), undefined);
    const expiring: SessionState = { kind: 'expiring', order, offline: false, outage: down };
    assert.equal(eventFor(expiring, { ...pending, outage: down }), undefined);
  });

  it('fires an error once when it is entered, and one for bad inputs', () => {
    const error: SessionState = { kind: 'error', error: new ContractError('NOT_FOUND', 'Unknown order.', 404) };
    assert.deepEqual(eventFor(error, pending), {
      type: 'error',
      detail: { code: 'NOT_FOUND', message: 'Unknown order.', status: 404, willRetry: false },
    });
    assert.equal(eventFor(error, error), undefined);
    assert.deepEqual(eventFor({ kind: 'invalid', message: 'amount is required.' }, { kind: 'idle' }), {
      type: 'error',
      detail: { code: 'INVALID_INPUT', message: 'amount is required.', willRetry: false },
    });
  });
});
