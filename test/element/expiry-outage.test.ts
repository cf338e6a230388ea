import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { hang } from '../mocks/backend.js';
import { useTestClock, type TestClock } from '../mocks/clock.js';
import { useFakeBackend } from '../mocks/worker.js';
import { eventsOf, mount, part, statusText, untilStatus, type Setup } from './helpers.js';
import type { AmazonPayDqr } from '../../src/amazonpay-dqr.js';

const ORDER = 'ORD-EXP';

/** The `status` attribute now and every value it takes from now on, repeats left out. */
function statusHistory(element: AmazonPayDqr): string[] {
  const history = [element.getAttribute('status')!];
  new MutationObserver(() => {
    const status = element.getAttribute('status')!;
    if (history.at(-1) !== status) history.push(status);
  }).observe(element, { attributes: true, attributeFilter: ['status'] });
  return history;
}

/** Gaps between consecutive times. */
const gaps = (times: number[]) => times.slice(1).map((time, i) => time - times[i]);

describe('expiry without the backend', () => {
  let clock: TestClock;
  beforeEach(async () => {
    // The worker starts on real timers; the element then runs on the fake clock.
    await useFakeBackend();
  });
  afterEach(() => sinon.restore());

  /**
   * An element whose backend goes down a second before the deadline, as the QR expires. Its status
   * requests are answered at once, so none can be held past its timeout on a slow machine.
   */
  async function downAtDeadline(setup: Setup = {}) {
    const backend = await useFakeBackend();
    backend.holdLongPolls = false;
    clock = useTestClock();
    const calls = clock.calls;
    const element = await mount({ orderId: ORDER, expiresIn: 60, ...setup });
    await untilStatus(element, 'pending');
    await clock.advance(59_000, 1000);
    backend.down = true;
    await clock.until(() => element.status === 'expiring', 2_000);
    const deadlineAt = Date.now();
    const asked = () => calls.statusTimes(ORDER).filter((at) => at >= deadlineAt);
    return { backend, calls, element, asked };
  }

  it('does not call the order expired while the backend cannot answer; a last-second payment ends paid, once', async () => {
    const { backend, calls, element } = await downAtDeadline();
    backend.payQuietly(ORDER);
    await clock.advance(120_000, 1000);
    await element.updateComplete;
    expect(element.status).to.equal('expiring');
    expect(part(element, 'qr'), 'no QR whose time is up').to.equal(null);
    expect(statusText(element)).to.equal(
      'Time is up. Checking for a last payment… The payment server cannot be reached. Still trying: wait for its answer before taking payment another way.',
    );
    expect(eventsOf(element)).to.deep.equal(['error:NETWORK_ERROR:retrying']);

    backend.down = false;
    await clock.until(() => element.status === 'paid', 31_000);
    await clock.advance(30_000, 1000);
    expect(eventsOf(element)).to.deep.equal(['error:NETWORK_ERROR:retrying', 'paid']);
    expect(backend.seenOf('cancel'), 'nothing to cancel: the customer paid').to.deep.equal([]);
    expect(calls.mostStatusInFlight).to.equal(1);
  });

  it('keeps asking on the backoff while the backend is down, then cancels and reports expired, once', async () => {
    const { backend, calls, element, asked } = await downAtDeadline();
    await clock.advance(120_000, 1000);
    expect(element.status).to.equal('expiring');
    // One request at a time, each wait longer than the last up to the 30 s cap (plus a clock step or
    // two). In 120 s: 5 when every wait is at the cap, 12 when every jitter draw is at its lowest
    // (half the ceiling: 0.5, 1, 2, 4, 8, then 15 s).
    expect(asked().length).to.be.within(5, 12);
    for (const gap of gaps(asked())) expect(gap).to.be.at.most(30_000 + 2000);
    expect(gaps(asked()).at(-1)).to.be.at.least(15_000);
    expect(backend.seenOf('cancel')).to.deep.equal([]);

    backend.down = false;
    await clock.until(() => element.status === 'expired', 31_000);
    await clock.advance(30_000, 1000);
    expect(eventsOf(element)).to.deep.equal(['error:NETWORK_ERROR:retrying', 'expired']);
    expect(backend.seenOf('cancel').map((request) => request.body)).to.deep.equal([
      { reason: 'SESSION_EXPIRED', refund: true },
    ]);
    expect(statusText(element)).to.contain('expired');
    expect(calls.mostStatusInFlight).to.equal(1);
  });

  it('goes back to asking when the expiry cancel fails, and says expired only once a cancel goes through', async () => {
    const backend = await useFakeBackend();
    backend.failWith('cancel', 503, 2);
    clock = useTestClock();
    const element = await mount({ orderId: ORDER, expiresIn: 60 });
    await untilStatus(element, 'pending');
    const history = statusHistory(element);
    await clock.until(() => element.status === 'expired', 90_000);
    expect(history).to.deep.equal([
      'pending',
      'expiring',
      'cancelling',
      'expiring',
      'cancelling',
      'expiring',
      'cancelling',
      'expired',
    ]);
    expect(backend.seenOf('cancel')).to.have.length(3);
    expect(eventsOf(element)).to.deep.equal(['error:UPSTREAM_UNAVAILABLE:retrying', 'expired']);
  });

  it('lets a payment made between two failed cancels win: paid, no cancel after it', async () => {
    const backend = await useFakeBackend();
    backend.failWith('cancel', 502);
    void backend.next('cancel').then(() => backend.payQuietly(ORDER));
    clock = useTestClock();
    const element = await mount({ orderId: ORDER, expiresIn: 60 });
    await untilStatus(element, 'pending');
    await clock.until(() => element.status === 'paid', 90_000);
    expect(backend.seenOf('cancel')).to.have.length(1);
    expect(eventsOf(element)).to.deep.equal(['error:UPSTREAM_UNAVAILABLE:retrying', 'paid']);
  });

  it('with no-auto-cancel, a failed last check keeps asking; the backend still saying pending ends it expired, once', async () => {
    const { backend, element } = await downAtDeadline({ noAutoCancel: true });
    await clock.advance(60_000, 1000);
    expect(element.status).to.equal('expiring');
    expect(eventsOf(element)).to.deep.equal(['error:NETWORK_ERROR:retrying']);

    backend.down = false;
    await clock.until(() => element.status === 'expired', 31_000);
    await clock.advance(30_000, 1000);
    expect(eventsOf(element)).to.deep.equal(['error:NETWORK_ERROR:retrying', 'expired']);
    expect(backend.seenOf('cancel')).to.deep.equal([]);
  });

  it('waits while offline and asks at once when back online or shown again', async () => {
    const { backend, element, asked } = await downAtDeadline();
    window.dispatchEvent(new Event('offline'));
    await element.updateComplete;
    expect(statusText(element)).to.equal(
      'Time is up. Checking for a last payment… You are offline. Waiting for the connection…',
    );
    const before = asked().length;
    await clock.advance(60_000, 1000);
    expect(asked(), 'no requests while offline').to.have.length(before);
    window.dispatchEvent(new Event('online'));
    await clock.until(() => asked().length > before, 250, 50);

    // Several failures in, the next retry is at least 16 s away: being shown again asks at once.
    // Six retries take at most 6 × 30 s (the backoff's ceiling, whatever the jitter drew). Each
    // step of the clock waits for the answers of the calls it set off: the last one has failed.
    await clock.until(() => asked().length >= before + 6, 200_000, 1000);
    const count = asked().length;
    backend.down = false;
    document.dispatchEvent(new Event('visibilitychange'));
    await clock.until(() => element.status === 'expired', 1_000, 50);
    expect(asked()).to.have.length(count + 1);
    expect(eventsOf(element)).to.deep.equal(['error:NETWORK_ERROR:retrying', 'expired']);
  });

  it('makes a cashier cancel given meanwhile once the backend is back: cancel with their reason, and resolves then', async () => {
    const { backend, element } = await downAtDeadline();
    await clock.advance(3_000, 1000);
    let answered = false;
    const cancelling = element.cancel({ noteToCustomer: 'Paid in cash' }).finally(() => (answered = true));
    await clock.advance(20_000, 1000);
    expect(answered).to.equal(false);
    expect(element.status).to.equal('expiring');

    backend.down = false;
    await clock.until(() => element.status === 'cancelled', 31_000);
    expect((await cancelling).cancel).to.deep.equal({ outcome: 'Approved', refund: true });
    expect(backend.seenOf('cancel').map((request) => request.body)).to.deep.equal([
      { reason: 'USER_CANCELLATION', refund: true, noteToCustomer: 'Paid in cash' },
    ]);
    expect(eventsOf(element)).to.deep.equal(['error:NETWORK_ERROR:retrying', 'cancel']);
  });

  it('never brings the QR back when a cashier cancel fails after the deadline passed', async () => {
    const backend = await useFakeBackend();
    let release = () => {};
    backend.fail('cancel', hang(new Promise<void>((resolve) => (release = resolve))), 1, ORDER);
    clock = useTestClock();
    try {
      const element = await mount({ orderId: ORDER, expiresIn: 60 });
      await untilStatus(element, 'pending');
      await clock.advance(58_000, 1000);
      const history = statusHistory(element);
      // The cancel hangs until its 15 s timeout; the deadline passes meanwhile.
      const cancelling = element.cancel();
      await clock.until(() => element.status === 'cancelled', 30_000);
      expect(history).to.deep.equal(['pending', 'cancelling', 'expiring', 'cancelling', 'cancelled']);
      expect((await cancelling).status).to.equal('cancelled');
      expect(backend.seenOf('cancel').map((request) => request.body)).to.deep.equal([
        { reason: 'USER_CANCELLATION', refund: true },
        { reason: 'USER_CANCELLATION', refund: true },
      ]);
      expect(eventsOf(element)).to.deep.equal(['cancel']);
    } finally {
      release();
    }
  });

  it('sends nothing more once removed while it keeps asking, and its cancel() callers hear why', async () => {
    const { backend, calls, element } = await downAtDeadline();
    await clock.advance(5_000, 1000);
    const cancelling = element.cancel().catch((error: Error) => error);
    const sent = calls.sent.length;
    element.remove();
    backend.down = false;
    await clock.advance(120_000, 1000);
    expect(calls.sent.slice(sent)).to.deep.equal([]);
    expect(await cancelling).to.have.property('name', 'AbortError');
    expect(eventsOf(element)).to.deep.equal(['error:NETWORK_ERROR:retrying']);
  });

  it('leaves the old order alone once a new order id is set while it keeps asking', async () => {
    const { backend, calls, element } = await downAtDeadline();
    await clock.advance(5_000, 1000);
    backend.down = false;
    element.orderId = 'ORD-NEXT';
    const switchedAt = Date.now();
    await clock.until(() => element.status === 'pending');
    await clock.advance(45_000, 1000);
    expect(calls.statusTimes(ORDER).filter((at) => at >= switchedAt)).to.deep.equal([]);
    expect(backend.seenOf('cancel')).to.deep.equal([]);
    expect(element.status, 'the new order').to.equal('pending');
    expect(eventsOf(element)).to.deep.equal(['error:NETWORK_ERROR:retrying']);
  });
});
