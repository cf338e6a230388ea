import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { useFakeBackend } from '../mocks/worker.js';
import { useTestClock, type TestClock } from '../mocks/clock.js';
import { eventsOf, mount, part, statusText, untilStatus } from './helpers.js';
import type { AmazonPayDqr } from '../../src/amazonpay-dqr.js';

const timerText = (element: AmazonPayDqr) => part(element, 'countdown')?.textContent ?? '';

/** Makes the page look hidden or visible and tells it, as the browser does on a tab switch. */
function setVisibility(state: DocumentVisibilityState): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('faults: time, visibility and reloads', () => {
  let clock: TestClock;
  beforeEach(async () => {
    await useFakeBackend();
  });
  afterEach(() => {
    sinon.restore();
    Reflect.deleteProperty(document, 'visibilityState');
  });

  it('pauses while offline, then checks at once when back online and sees the payment', async () => {
    const backend = await useFakeBackend();
    clock = useTestClock();
    const element = await mount();
    await untilStatus(element, 'pending');
    await clock.until(() => backend.seenOf('status').length >= 1);
    window.dispatchEvent(new Event('offline'));
    await element.updateComplete;
    expect(statusText(element)).to.equal('You are offline. Waiting for the connection…');
    expect(part(element, 'qr'), 'the QR stays up: the customer can still pay').to.not.equal(null);
    backend.payQuietly('ORD-1042');
    await clock.advance(60_000, 1000);
    expect(backend.seenOf('status'), 'no requests while offline').to.have.length(1);
    window.dispatchEvent(new Event('online'));
    await clock.until(() => element.status === 'paid');
    expect(backend.seenOf('status')[1].wait).to.equal(0);
    expect(eventsOf(element)).to.deep.equal(['paid']);
  });

  it('checks at once when shown after hidden for 8 minutes, with the countdown right at once', async () => {
    const backend = await useFakeBackend();
    clock = useTestClock();
    const element = await mount({ expiresIn: 600 });
    await untilStatus(element, 'pending');
    await clock.until(() => backend.seenOf('status').length >= 1);
    setVisibility('hidden');
    // A hidden tab's timers are frozen: the clock jumps, nothing fires meanwhile.
    clock.fake.setSystemTime(Date.now() + 8 * 60_000);
    backend.payQuietly('ORD-1042');
    setVisibility('visible');
    await element.updateComplete;
    expect(timerText(element)).to.equal('2:00');
    await clock.until(() => element.status === 'paid', 1_000, 50);
    expect(backend.seenOf('status')[1].wait).to.equal(0);
    expect(eventsOf(element)).to.deep.equal(['paid']);
  });

  it('runs the expiry path once when shown after hidden for 10 minutes past the deadline', async () => {
    const backend = await useFakeBackend();
    clock = useTestClock();
    const element = await mount();
    await untilStatus(element, 'pending');
    await clock.until(() => backend.seenOf('status').length >= 1);
    setVisibility('hidden');
    clock.fake.setSystemTime(Date.now() + 10 * 60_000);
    setVisibility('visible');
    await clock.until(() => element.status === 'expired', 5_000);
    await clock.advance(30_000, 1000);
    expect(eventsOf(element)).to.deep.equal(['expired']);
    expect(backend.seenOf('cancel').map((request) => request.body)).to.deep.equal([
      { reason: 'SESSION_EXPIRED', refund: true },
    ]);
    expect(statusText(element)).to.contain('expired');
  });

  it('resumes the same QR and deadline after a reload mid-payment, then reports paid once', async () => {
    const backend = await useFakeBackend();
    clock = useTestClock();
    const before = await mount();
    await untilStatus(before, 'pending');
    const qr = part(before, 'qr')!.innerHTML;
    before.remove();
    await clock.advance(100_000, 1000);
    const after = await mount();
    await clock.until(() => after.status === 'pending');
    await after.updateComplete;
    expect(part(after, 'qr')!.innerHTML).to.equal(qr);
    expect(timerText(after)).to.equal('3:20');
    expect(backend.orders.size).to.equal(1);
    backend.pay('ORD-1042');
    await clock.until(() => after.status === 'paid');
    expect(eventsOf(after)).to.deep.equal(['paid']);
    expect(eventsOf(before), 'the old page is gone').to.deep.equal([]);
  });

  for (const skew of [10 * 60_000, -10 * 60_000]) {
    const clockIs = skew > 0 ? 'behind' : 'ahead';

    it(`takes a whole payment with the client clock ${clockIs} by 10 minutes`, async () => {
      const backend = await useFakeBackend();
      backend.skewMs = skew;
      clock = useTestClock();
      const element = await mount();
      await untilStatus(element, 'pending');
      await clock.advance(120_000, 1000);
      await element.updateComplete;
      expect(timerText(element)).to.equal('3:00');
      backend.pay('ORD-1042');
      await clock.until(() => element.status === 'paid');
      expect(eventsOf(element)).to.deep.equal(['paid']);
      expect(backend.seenOf('cancel')).to.deep.equal([]);
    });

    it(`expires on the server's deadline with the client clock ${clockIs} by 10 minutes`, async () => {
      const backend = await useFakeBackend();
      backend.skewMs = skew;
      clock = useTestClock();
      const element = await mount({ expiresIn: 60 });
      await untilStatus(element, 'pending');
      await clock.advance(59_000, 1000);
      await element.updateComplete;
      expect(element.status).to.equal('pending');
      expect(timerText(element)).to.equal('0:01');
      await clock.until(() => element.status === 'expired', 5_000);
      expect(eventsOf(element)).to.deep.equal(['expired']);
      expect(backend.seenOf('cancel')).to.have.length(1);
    });
  }
});
