import { expect, oneEvent } from '@open-wc/testing';
import { useFakeBackend } from '../mocks/worker.js';
import { fakeClockAfterBackend, statusText, untilStatus } from './helpers.js';
import { container, mountIn, record, until } from './mount-with.js';
import type { FakeBackend } from '../mocks/backend.js';

describe('late payments', () => {
  const clock = fakeClockAfterBackend();

  /** The grace watch's next question: its timer runs once the last answer has arrived and set it. */
  async function nextQuestion(backend: FakeBackend): Promise<void> {
    await until(() => clock().countTimers() > 0);
    const arrival = backend.next('status');
    await clock().tickAsync(5_000);
    await arrival;
  }

  it('reports a payment that lands after a cancel and shows that it is refunded', async () => {
    const backend = await useFakeBackend();
    const element = mountIn(await container(), { latePaymentGrace: 180 });
    await untilStatus(element, 'pending');
    await element.cancel();
    await untilStatus(element, 'cancelled');
    backend.update('ORD-1042', { latePayment: { amazonChargeId: 'P04-1', refundStatus: 'Requested' } });
    const late = oneEvent(element, 'late-payment');
    await clock().tickAsync(5_000);
    expect((await late).detail).to.deep.equal({
      orderId: 'ORD-1042',
      amount: '249.00',
      amazonChargeId: 'P04-1',
      refundStatus: 'Requested',
    });
    await element.updateComplete;
    expect(statusText(element)).to.contain('it is being refunded');
    backend.update('ORD-1042', { latePayment: { amazonChargeId: 'P04-1', refundStatus: 'Approved' } });
    await nextQuestion(backend);
    await until(() => statusText(element).includes('it has been refunded'));
    const asked = backend.seenOf('status').length;
    await clock().tickAsync(60_000);
    expect(backend.seenOf('status').length, 'a settled refund ends the watch').to.equal(asked);
  });

  it('stops asking when the grace period ends', async () => {
    const backend = await useFakeBackend();
    const element = mountIn(await container(), { latePaymentGrace: 30 });
    const events = record(element, ['late-payment']);
    await untilStatus(element, 'pending');
    await element.cancel();
    const before = backend.seenOf('status').length;
    for (let i = 0; i < 6; i++) await nextQuestion(backend);
    const asked = backend.seenOf('status').length;
    expect(asked - before, 'every 5 s for 30 s').to.equal(6);
    backend.update('ORD-1042', { latePayment: { refundStatus: 'Requested' } });
    await clock().tickAsync(60_000);
    expect(backend.seenOf('status').length).to.equal(asked);
    expect(events).to.deep.equal([]);
  });

  it('does not watch at all by default', async () => {
    const backend = await useFakeBackend();
    const element = mountIn(await container());
    await untilStatus(element, 'pending');
    await element.cancel();
    const asked = backend.seenOf('status').length;
    await clock().tickAsync(60_000);
    expect(backend.seenOf('status').length).to.equal(asked);
  });

  it('turns an order that only expired into paid when the payment still lands', async () => {
    const backend = await useFakeBackend();
    const element = mountIn(await container(), { latePaymentGrace: 180, noAutoCancel: true, expiresIn: 60 });
    const events = record(element, ['paid', 'expired', 'late-payment']);
    await untilStatus(element, 'pending');
    await clock().tickAsync(60_000);
    await untilStatus(element, 'expired');
    backend.update('ORD-1042', { status: 'paid', amazonChargeId: 'P04-2' });
    await clock().tickAsync(5_000);
    await untilStatus(element, 'paid');
    expect(events.map((event) => event.type)).to.deep.equal(['expired', 'paid']);
  });

  it('stops watching when removed', async () => {
    const backend = await useFakeBackend();
    const element = mountIn(await container(), { latePaymentGrace: 180 });
    await untilStatus(element, 'pending');
    await element.cancel();
    element.remove();
    const asked = backend.seenOf('status').length;
    await clock().tickAsync(60_000);
    expect(backend.seenOf('status').length).to.equal(asked);
    expect(clock().countTimers()).to.equal(0);
  });
});
