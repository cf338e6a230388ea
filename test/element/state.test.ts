import { expect } from '@open-wc/testing';
import type { OrderView } from '../../src/contract/types.js';
import { ContractError } from '../../src/element/client.js';
import { type DqrState, transition } from '../../src/element/state.js';

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
const pending: DqrState = { kind: 'pending', order, reconnecting: false, offline: false };

describe('state transitions', () => {
  it('goes from requesting to pending to paid', () => {
    const requesting = transition({ kind: 'idle' }, { type: 'request' });
    const shown = transition(requesting, { type: 'view', view: order });
    expect(shown.kind).to.equal('pending');
    expect(transition(shown, { type: 'view', view: { ...order, status: 'paid' } }).kind).to.equal('paid');
  });

  it('keeps final states: nothing but a new order leaves paid', () => {
    const paid = transition(pending, { type: 'view', view: { ...order, status: 'paid' } });
    for (const event of [
      { type: 'view', view: { ...order, status: 'cancelled' } },
      { type: 'cancel', reason: 'USER_CANCELLATION' },
      { type: 'deadline' },
      { type: 'error', error: new ContractError('X', 'x') },
    ] as const) {
      expect(transition(paid, event)).to.equal(paid);
    }
    expect(transition(paid, { type: 'reset' }).kind).to.equal('idle');
  });

  it('never reads an unknown status as paid', () => {
    const view = { ...order, status: 'SUCCESS' } as unknown as OrderView;
    expect(transition(pending, { type: 'view', view })).to.equal(pending);
  });

  it('ends an expiry cancel as expired and a user cancel as cancelled', () => {
    const cancelled = {
      ...order,
      status: 'cancelled' as const,
      cancel: { outcome: 'Approved' as const, refund: true },
    };
    const expiring = transition(pending, { type: 'deadline' });
    const expiryCancel = transition(expiring, { type: 'cancel', reason: 'SESSION_EXPIRED' });
    expect(transition(expiryCancel, { type: 'view', view: cancelled }).kind).to.equal('expired');
    const userCancel = transition(pending, { type: 'cancel', reason: 'USER_CANCELLATION' });
    expect(transition(userCancel, { type: 'view', view: cancelled })).to.deep.include({
      kind: 'cancelled',
      reason: 'USER_CANCELLATION',
    });
  });

  it('never ends an order on a failed cancel: back to the QR before the deadline, back to asking after it', () => {
    const userCancel = transition(pending, { type: 'cancel', reason: 'USER_CANCELLATION' });
    expect(transition(userCancel, { type: 'cancel-failed' }).kind).to.equal('pending');

    const expiring = transition(pending, { type: 'deadline' });
    const expiryCancel = transition(expiring, { type: 'cancel', reason: 'SESSION_EXPIRED' });
    expect(transition(expiryCancel, { type: 'cancel-failed' }).kind).to.equal('expiring');
    const lateUserCancel = transition(expiring, { type: 'cancel', reason: 'USER_CANCELLATION' });
    expect(transition(lateUserCancel, { type: 'cancel-failed' }).kind).to.equal('expiring');

    // The deadline passes while the cashier's cancel is on its way: no live QR to go back to.
    const overtaken = transition(userCancel, { type: 'deadline' });
    expect(overtaken).to.deep.include({ kind: 'cancelling', reason: 'USER_CANCELLATION', timeUp: true });
    expect(transition(overtaken, { type: 'cancel-failed' }).kind).to.equal('expiring');
    expect(transition(overtaken, { type: 'view', view: order }).kind).to.equal('expiring');
  });

  it('past the deadline, shows the connection trouble and lets the answer decide', () => {
    const expiring = transition(pending, { type: 'deadline' });
    const unreachable = transition(expiring, { type: 'connection', reconnecting: true });
    expect(unreachable).to.deep.include({ kind: 'expiring', reconnecting: true });
    expect(transition(unreachable, { type: 'connection', offline: true })).to.deep.include({ offline: true });
    expect(transition(unreachable, { type: 'view', view: order })).to.deep.include({
      kind: 'expiring',
      reconnecting: false,
    });
    expect(transition(unreachable, { type: 'view', view: { ...order, status: 'paid' } }).kind).to.equal('paid');
    expect(transition(unreachable, { type: 'expire' }).kind).to.equal('expired');
  });

  it('clears the reconnecting flag when an answer arrives', () => {
    const reconnecting = transition(pending, { type: 'connection', reconnecting: true });
    expect(reconnecting).to.deep.include({ reconnecting: true });
    expect(transition(reconnecting, { type: 'view', view: order })).to.deep.include({ reconnecting: false });
  });
});
