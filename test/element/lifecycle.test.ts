import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { useFakeBackend } from '../mocks/worker.js';
import { eventsOf, mount, untilStatus } from './helpers.js';

describe('lifecycle', () => {
  it('leaves nothing running after removal: no timer, no request', async () => {
    const backend = await useFakeBackend();
    backend.holdLongPolls = false;
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const element = await mount();
      await untilStatus(element, 'pending');
      await backend.next('status');
      element.remove();
      await new Promise((resolve) => requestAnimationFrame(resolve));
      expect(clock.countTimers()).to.equal(0);
      const seen = backend.requests.length;
      await clock.tickAsync(600_000);
      expect(backend.requests.length).to.equal(seen);
      expect(eventsOf(element)).to.deep.equal([]);
    } finally {
      clock.restore();
    }
  });

  it('ends the old order when order-id changes and starts the new one', async () => {
    const backend = await useFakeBackend();
    const element = await mount();
    await untilStatus(element, 'pending');
    await backend.next('status');
    const created = backend.next('create');
    element.orderId = 'ORD-2';
    expect((await created).orderId).to.equal('ORD-2');
    await untilStatus(element, 'pending');
    backend.pay('ORD-1042');
    backend.pay('ORD-2');
    await untilStatus(element, 'paid');
    await element.updateComplete;
    expect(eventsOf(element)).to.deep.equal(['paid']);
    expect(backend.seenOf('status').at(-1)!.orderId).to.equal('ORD-2');
  });
});
