import { expect, oneEvent } from '@open-wc/testing';
import { HttpResponse } from 'msw';
import { slow } from '../mocks/backend.js';
import { useFakeBackend } from '../mocks/worker.js';
import { eventsOf, mount, part, statusText, untilStatus } from './helpers.js';

describe('cancel', () => {
  it('cancels before payment: Approved, QR hidden while it runs, one cancel event', async () => {
    const backend = await useFakeBackend();
    const element = await mount();
    await untilStatus(element, 'pending');
    backend.fail(
      'cancel',
      slow(200, () => HttpResponse.json({ code: 'X', message: 'unused' }, { status: 500 })),
      0,
    );
    part<HTMLButtonElement>(element, 'cancel-button')!.click();
    await untilStatus(element, 'cancelling');
    expect(part(element, 'qr')).to.equal(null);
    const event = await oneEvent(element, 'cancel');
    expect(event.detail).to.deep.equal({
      orderId: 'ORD-1042',
      reason: 'USER_CANCELLATION',
      outcome: 'Approved',
      refundRequested: true,
    });
    expect(backend.seenOf('cancel')[0].body).to.deep.equal({ reason: 'USER_CANCELLATION', refund: true });
    expect(element.getAttribute('status')).to.equal('cancelled');
    expect(statusText(element)).to.contain('No money was taken');
    expect(eventsOf(element)).to.deep.equal(['cancel']);
  });

  it('refunds a customer who had paid: RefundApplicable, and says the money goes back', async () => {
    const backend = await useFakeBackend();
    const element = await mount();
    await untilStatus(element, 'pending');
    backend.payQuietly('ORD-1042');
    const view = await element.cancel({ noteToCustomer: 'Paid in cash' });
    expect(view.cancel).to.deep.equal({ outcome: 'RefundApplicable', refund: true });
    await untilStatus(element, 'cancelled');
    expect(statusText(element)).to.contain('on its way back');
    expect(backend.seenOf('cancel')[0].body).to.deep.equal({
      reason: 'USER_CANCELLATION',
      refund: true,
      noteToCustomer: 'Paid in cash',
    });
    expect(eventsOf(element)).to.deep.equal(['cancel']);
  });

  it('reports RefundApplicableButNotRequested when no refund was asked', async () => {
    const backend = await useFakeBackend();
    const element = await mount();
    await untilStatus(element, 'pending');
    backend.payQuietly('ORD-1042');
    const cancelled = oneEvent(element, 'cancel');
    await element.cancel({ reason: 'DEVICE_GENERATED_CANCELLATION', refund: false });
    expect((await cancelled).detail).to.deep.include({
      reason: 'DEVICE_GENERATED_CANCELLATION',
      outcome: 'RefundApplicableButNotRequested',
      refundRequested: false,
    });
    expect(statusText(element)).to.contain('no refund was asked for');
  });

  it('fires paid, not cancel, when the backend answers the order is paid and not cancelled', async () => {
    const backend = await useFakeBackend();
    const element = await mount();
    await untilStatus(element, 'pending');
    backend.fail('cancel', () =>
      HttpResponse.json({ ...backend.orders.get('ORD-1042')!, status: 'paid', serverTime: backend.now() }),
    );
    await element.cancel();
    await untilStatus(element, 'paid');
    expect(eventsOf(element)).to.deep.equal(['paid']);
  });

  it('races a payment against the cancel: the cancel answer decides, only one event fires', async () => {
    const backend = await useFakeBackend();
    const element = await mount();
    await untilStatus(element, 'pending');
    await backend.next('status');
    const cancelling = element.cancel();
    backend.pay('ORD-1042');
    await cancelling;
    await untilStatus(element, 'cancelled');
    await element.updateComplete;
    expect(eventsOf(element)).to.deep.equal(['cancel']);
    expect(element.status).to.equal('cancelled');
  });

  it('shares one cancel between two calls and refuses when nothing is pending', async () => {
    const backend = await useFakeBackend();
    const element = await mount();
    await untilStatus(element, 'pending');
    const [first, second] = await Promise.all([element.cancel(), element.cancel()]);
    expect(first).to.equal(second);
    expect(backend.seenOf('cancel')).to.have.length(1);
    const refused = await element.cancel().catch((error: Error) => error);
    expect(refused).to.have.property('code', 'NOT_CANCELLABLE');
  });

  it('goes back to the QR when the cancel fails, and says why', async () => {
    const backend = await useFakeBackend();
    const element = await mount();
    await untilStatus(element, 'pending');
    backend.failWith('cancel', 502);
    const failure = await element.cancel().catch((error: Error) => error);
    expect(failure).to.have.property('code', 'UPSTREAM_UNAVAILABLE');
    await untilStatus(element, 'pending');
    expect(part(element, 'qr')).to.not.equal(null);
    expect(statusText(element)).to.contain('Fake 502 failure');
    expect(eventsOf(element)).to.deep.equal(['error:UPSTREAM_UNAVAILABLE']);
    backend.pay('ORD-1042');
    await untilStatus(element, 'paid');
  });
});
