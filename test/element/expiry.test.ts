import { expect, oneEvent } from '@open-wc/testing';
import { useFakeBackend } from '../mocks/worker.js';
import { eventsOf, fakeClockAfterBackend, mount, statusText, untilStatus } from './helpers.js';

describe('expiry', () => {
  const clock = fakeClockAfterBackend();

  it('checks once more, cancels with SESSION_EXPIRED and refund, then fires expired', async () => {
    const backend = await useFakeBackend();
    const element = await mount({ expiresIn: 60 });
    await untilStatus(element, 'pending');
    const expired = oneEvent(element, 'expired');
    await clock().tickAsync(60_000);
    expect((await expired).detail).to.deep.equal({ orderId: 'ORD-1042', cancelOutcome: 'Approved' });
    const last = backend.seenOf('status').at(-1)!;
    expect(last.wait).to.equal(0);
    expect(backend.seenOf('cancel')[0].body).to.deep.equal({ reason: 'SESSION_EXPIRED', refund: true });
    expect(statusText(element)).to.contain('expired');
    expect(eventsOf(element)).to.deep.equal(['expired']);
  });

  it('lets a payment in the last second win: paid, no cancel', async () => {
    const backend = await useFakeBackend();
    const element = await mount({ expiresIn: 60 });
    await untilStatus(element, 'pending');
    await clock().tickAsync(59_500);
    backend.payQuietly('ORD-1042');
    const paid = oneEvent(element, 'paid');
    await clock().tickAsync(500);
    await paid;
    expect(backend.seenOf('cancel')).to.deep.equal([]);
    expect(eventsOf(element)).to.deep.equal(['paid']);
  });

  it('reports a payment refunded by the expiry cancel', async () => {
    const backend = await useFakeBackend();
    backend.beforeCancel = (orderId) => backend.payQuietly(orderId);
    const element = await mount({ expiresIn: 60 });
    await untilStatus(element, 'pending');
    const expired = oneEvent(element, 'expired');
    await clock().tickAsync(60_000);
    expect((await expired).detail.cancelOutcome).to.equal('RefundApplicable');
    expect(statusText(element)).to.contain('refunded');
  });

  it('does not cancel upstream with no-auto-cancel', async () => {
    const backend = await useFakeBackend();
    const element = await mount({ expiresIn: 60, noAutoCancel: true });
    await untilStatus(element, 'pending');
    const expired = oneEvent(element, 'expired');
    await clock().tickAsync(60_000);
    expect((await expired).detail).to.deep.equal({ orderId: 'ORD-1042', cancelOutcome: undefined });
    expect(backend.seenOf('cancel')).to.deep.equal([]);
    clock().restore(); // axe runs on timers
    await expect(element).to.be.accessible();
  });
});
