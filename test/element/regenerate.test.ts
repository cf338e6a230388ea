import { expect, oneEvent } from '@open-wc/testing';
import type { RegenerateEvent } from '../../src/amazonpay-dqr.js';
import { useFakeBackend } from '../mocks/worker.js';
import { fakeClockAfterBackend, untilStatus } from './helpers.js';
import { container, mountIn, record } from './mount-with.js';

describe('bounded regeneration', () => {
  const clock = fakeClockAfterBackend();

  it('shows a fresh QR for a new order id up to N times, then expires once', async () => {
    const backend = await useFakeBackend();
    const element = mountIn(await container(), { regenerate: 2, expiresIn: 60 });
    const events = record(element, ['expired', 'regenerate']);
    let next = 1;
    element.addEventListener('regenerate', (event: RegenerateEvent) => event.detail.setOrderId(`ORD-1042-R${next++}`));
    await untilStatus(element, 'pending');
    const first = oneEvent(element, 'regenerate');
    await clock().tickAsync(60_000);
    expect((await first).detail).to.include({ orderId: 'ORD-1042', attempt: 1 });
    await untilStatus(element, 'pending');
    expect(element.orderId).to.equal('ORD-1042-R1');
    // Each order in its turn: cancelled upstream at expiry, then a new one created.
    await clock().tickAsync(60_000);
    await untilStatus(element, 'pending');
    expect(element.orderId).to.equal('ORD-1042-R2');
    const expired = oneEvent(element, 'expired');
    await clock().tickAsync(60_000);
    expect((await expired).detail.orderId).to.equal('ORD-1042-R2');
    expect(events.map((event) => event.type)).to.deep.equal(['regenerate', 'regenerate', 'expired']);
    expect(backend.seenOf('create').map((request) => request.orderId)).to.deep.equal([
      'ORD-1042',
      'ORD-1042-R1',
      'ORD-1042-R2',
    ]);
    expect(backend.seenOf('cancel').map((request) => request.orderId)).to.deep.equal([
      'ORD-1042',
      'ORD-1042-R1',
      'ORD-1042-R2',
    ]);
  });

  it('takes an order id set on the element in the listener', async () => {
    await useFakeBackend();
    const element = mountIn(await container(), { regenerate: 1, expiresIn: 60 });
    element.addEventListener('regenerate', () => {
      element.orderId = 'ORD-NEXT';
    });
    await untilStatus(element, 'pending');
    await clock().tickAsync(60_000);
    await untilStatus(element, 'pending');
    expect(element.orderId).to.equal('ORD-NEXT');
  });

  it('ends with expired when the host cancels the event or gives no id', async () => {
    await useFakeBackend();
    const prevented = mountIn(await container(), { regenerate: 3, expiresIn: 60 });
    prevented.addEventListener('regenerate', (event) => {
      event.detail.setOrderId('ORD-IGNORED');
      event.preventDefault();
    });
    const silent = mountIn(await container(), { regenerate: 3, expiresIn: 60, orderId: 'ORD-2' });
    await untilStatus(prevented, 'pending');
    await untilStatus(silent, 'pending');
    const ends = Promise.all([oneEvent(prevented, 'expired'), oneEvent(silent, 'expired')]);
    await clock().tickAsync(60_000);
    await ends;
    expect(prevented.orderId).to.equal('ORD-1042');
    expect(silent.orderId).to.equal('ORD-2');
  });

  it('does nothing of the sort by default', async () => {
    await useFakeBackend();
    const element = mountIn(await container(), { expiresIn: 60 });
    const events = record(element, ['expired', 'regenerate']);
    await untilStatus(element, 'pending');
    const expired = oneEvent(element, 'expired');
    await clock().tickAsync(60_000);
    await expired;
    expect(events.map((event) => event.type)).to.deep.equal(['expired']);
  });
});
