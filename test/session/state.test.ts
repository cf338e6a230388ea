import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CancelRequest, OrderView } from '../../src/contract/types.js';
import { ContractError } from '../../src/session/errors.js';
import { type SessionState, transition } from '../../src/session/state.js';

const order: OrderView = {
  orderId: 'ORD-1',
  mode: 'production',
  status: 'pending',
  amount: '1.00',
  currency: 'INR',
  expiresAt: '2025-01-01T10:05:00Z',
  serverTime: '2025-01-01T10:00:00Z',
  qrString: 'upi://pay?pa=a@b',
};
const pending: SessionState = { kind: 'pending', order, offline: false };
const expiryCancel: CancelRequest = { reason: 'SESSION_EXPIRED', refund: true };
const userCancel: CancelRequest = { reason: 'USER_CANCELLATION', refund: true };
const outage = new ContractError('UPSTREAM_UNAVAILABLE', 'down', 503, true);

/** Asserts that `actual` has each of `expected`'s properties (chai's `deep.include`). */
function includes(actual: object, expected: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(expected)) {
    assert.deepStrictEqual((actual as Record<string, unknown>)[key], value, key);
  }
}

describe('state transitions', () => {
  it('goes from requesting to pending to paid', () => {
    const requesting = transition({ kind: 'idle' }, { type: 'request', regenerating: false });
    const shown = transition(requesting, { type: 'view', view: order });
    assert.equal(shown.kind, 'pending');
    assert.equal(transition(shown, { type: 'view', view: { ...order, status: 'paid' } }).kind, 'paid');
  });

  it('keeps final states: nothing but a new order leaves paid', () => {
    const paid = transition(pending, { type: 'view', view: { ...order, status: 'paid' } });
    for (const action of [
      { type: 'view', view: { ...order, status: 'cancelled' } },
      { type: 'cancel', request: userCancel },
      { type: 'deadline', closing: expiryCancel },
      { type: 'error', error: new ContractError('X', 'x') },
    ] as const) {
      assert.equal(transition(paid, action), paid);
    }
    assert.equal(transition(paid, { type: 'reset' }).kind, 'idle');
  });

  it('never reads an unknown status as paid', () => {
    const view = { ...order, status: 'SUCCESS' } as unknown as OrderView;
    assert.equal(transition(pending, { type: 'view', view }), pending);
  });

  it('ends an expiry cancel as expired and a user cancel as cancelled', () => {
    const cancelled = {
      ...order,
      status: 'cancelled' as const,
      cancel: { outcome: 'Approved' as const, refund: true },
    };
    const expiring = transition(pending, { type: 'deadline', closing: expiryCancel });
    const expiringCancel = transition(expiring, { type: 'cancel', request: expiryCancel });
    assert.equal(transition(expiringCancel, { type: 'view', view: cancelled }).kind, 'expired');
    const cashierCancel = transition(pending, { type: 'cancel', request: userCancel });
    includes(transition(cashierCancel, { type: 'view', view: cancelled }), {
      kind: 'cancelled',
      reason: 'USER_CANCELLATION',
    });
  });

  it('never ends an order on a failed cancel: back to the QR before the deadline, back to asking after it', () => {
    const cashierCancel = transition(pending, { type: 'cancel', request: userCancel });
    assert.equal(transition(cashierCancel, { type: 'cancel-failed' }).kind, 'pending');

    const expiring = transition(pending, { type: 'deadline', closing: expiryCancel });
    const expiringCancel = transition(expiring, { type: 'cancel', request: expiryCancel });
    assert.equal(transition(expiringCancel, { type: 'cancel-failed' }).kind, 'expiring');
    const lateCashierCancel = transition(expiring, { type: 'cancel', request: userCancel });
    includes(transition(lateCashierCancel, { type: 'cancel-failed' }), {
      kind: 'expiring',
      closing: userCancel,
    });

    // The deadline passes while the cashier's cancel is on its way: no live QR to go back to.
    const overtaken = transition(cashierCancel, { type: 'deadline', closing: expiryCancel });
    includes(overtaken, { kind: 'cancelling', request: userCancel, timeUp: true });
    assert.equal(transition(overtaken, { type: 'cancel-failed' }).kind, 'expiring');
    assert.equal(transition(overtaken, { type: 'view', view: order }).kind, 'expiring');
  });

  it('past the deadline, shows the connection trouble and lets the answer decide', () => {
    const expiring = transition(pending, { type: 'deadline', closing: expiryCancel });
    const unreachable = transition(expiring, { type: 'retrying', error: outage });
    includes(unreachable, { kind: 'expiring', outage });
    includes(transition(unreachable, { type: 'offline', offline: true }), { offline: true });
    const answered = transition(unreachable, { type: 'view', view: order });
    assert.equal(answered.kind, 'expiring');
    assert.equal('outage' in answered && answered.outage, undefined);
    assert.equal(transition(unreachable, { type: 'view', view: { ...order, status: 'paid' } }).kind, 'paid');
    // Nothing to cancel (no-auto-cancel): the backend still saying pending past the deadline ends it.
    const nothingToCancel = transition(pending, { type: 'deadline' });
    assert.equal(transition(nothingToCancel, { type: 'view', view: order }).kind, 'expired');
  });

  it('clears the outage when an answer arrives', () => {
    const reconnecting = transition(pending, { type: 'retrying', error: outage });
    includes(reconnecting, { outage });
    const answered = transition(reconnecting, { type: 'view', view: order });
    assert.equal(answered.kind === 'pending' && answered.outage, undefined);
  });
});
