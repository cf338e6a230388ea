import { expect, oneEvent } from '@open-wc/testing';
import sinon from 'sinon';
import { useFakeBackend } from '../mocks/worker.js';
import { hang } from '../mocks/backend.js';
import { useTestClock, type TestClock } from '../mocks/clock.js';
import { eventsOf, mount, part, statusText, untilStatus } from './helpers.js';

/** Gaps between consecutive times. */
const gaps = (times: number[]) => times.slice(1).map((time, i) => time - times[i]);

/** The backoff ceiling of retry `attempt` (1-based): 1 s doubling, capped at 30 s. */
const ceiling = (attempt: number) => Math.min(30_000, 1000 * 2 ** (attempt - 1));

describe('faults: network', () => {
  let clock: TestClock;
  beforeEach(async () => {
    // The worker starts on real timers; the element then runs on the fake clock.
    await useFakeBackend();
  });
  afterEach(() => sinon.restore());

  it('rides out the backend down for 30 s: reconnecting, one error, backoff, then paid', async () => {
    const backend = await useFakeBackend();
    clock = useTestClock();
    const calls = clock.calls;
    const element = await mount();
    await untilStatus(element, 'pending');
    await clock.until(() => backend.seenOf('status').length >= 1);

    backend.down = true;
    const downAt = Date.now();
    await clock.until(() => eventsOf(element).length === 1);
    await element.updateComplete;
    expect(statusText(element)).to.contain('Reconnecting');
    expect(part(element, 'qr'), 'the QR stays up').to.not.equal(null);
    await clock.advance(30_000 - (Date.now() - downAt));
    const duringOutage = calls.statusTimes('ORD-1042').filter((at) => at > downAt);
    backend.down = false;

    await clock.until(() => !statusText(element).includes('Reconnecting'), 31_000);
    expect(statusText(element)).to.equal('');
    expect(element.status).to.equal('pending');
    backend.pay('ORD-1042');
    await clock.until(() => element.status === 'paid');
    expect(eventsOf(element)).to.deep.equal(['error:NETWORK_ERROR:retrying', 'paid']);
    // No storm: the held poll drops as the backend goes down, then each retry waits longer.
    expect(duringOutage.length).to.be.within(4, 6);
    // Above the ceiling only by the clock's steps while a slow answer comes back (a loaded machine).
    gaps([downAt, ...duringOutage]).forEach((gap, i) =>
      expect(gap).to.be.within(ceiling(i + 1) / 2, ceiling(i + 1) + 1000),
    );
    expect(calls.mostStatusInFlight).to.equal(1);
  });

  it('caps the backoff at 30 s in a long outage, and two terminals do not retry in step', async () => {
    const backend = await useFakeBackend();
    clock = useTestClock();
    const calls = clock.calls;
    const first = await mount({ orderId: 'ORD-A' });
    const second = await mount({ orderId: 'ORD-B' });
    await Promise.all([untilStatus(first, 'pending'), untilStatus(second, 'pending')]);
    await clock.until(() => backend.seenOf('status').length >= 2);
    backend.down = true;
    await clock.advance(180_000, 1000);

    const a = gaps(calls.statusTimes('ORD-A').slice(1));
    const b = gaps(calls.statusTimes('ORD-B').slice(1));
    expect(a.length, 'requests in 3 minutes').to.be.within(7, 12);
    // Each gap is the backoff plus the failure's way back, which takes up to two 1 s clock steps here.
    for (const gap of [...a, ...b]) expect(gap).to.be.at.most(30_000 + 2000);
    expect(a.slice(-2).every((gap) => gap >= 15_000)).to.equal(true);
    expect(a.slice(0, 5), 'jitter').to.not.deep.equal(b.slice(0, 5));
    expect(eventsOf(first)).to.deep.equal(['error:NETWORK_ERROR:retrying']);
    expect(first.status).to.equal('pending');
  });

  it('retries a burst of 503s on create by itself and shows the QR', async () => {
    const backend = await useFakeBackend();
    backend.failWith('create', 503, 3);
    clock = useTestClock();
    const element = await mount();
    await clock.until(() => eventsOf(element).length === 1);
    await element.updateComplete;
    expect(element.status).to.equal('requesting');
    expect(statusText(element)).to.equal('Preparing the QR code… Fake 503 failure.');
    await clock.until(() => element.status === 'pending', 20_000);
    await element.updateComplete;
    expect(backend.seenOf('create')).to.have.length(4);
    expect(backend.orders.size).to.equal(1);
    expect(statusText(element)).to.equal('');
    expect(part(element, 'qr')).to.not.equal(null);
    expect(eventsOf(element)).to.deep.equal(['error:UPSTREAM_UNAVAILABLE:retrying']);
  });

  it('gives the cashier a retry button when create keeps failing for a minute', async () => {
    const backend = await useFakeBackend();
    backend.down = true;
    clock = useTestClock();
    const element = await mount();
    await clock.until(() => element.status === 'error', 70_000, 1000);
    await element.updateComplete;
    expect(statusText(element)).to.contain('could not be reached');
    expect(eventsOf(element)).to.deep.equal(['error:NETWORK_ERROR:retrying', 'error:NETWORK_ERROR']);
    expect(backend.seenOf('create').length).to.be.within(5, 8);

    backend.down = false;
    part<HTMLButtonElement>(element, 'retry-button')!.click();
    await clock.until(() => element.status === 'pending');
    expect(part(element, 'qr')).to.not.equal(null);
  });

  it('keeps the QR through a burst of 5xx while polling, then reports paid', async () => {
    const backend = await useFakeBackend();
    backend.failWith('status', 502, 4, 'UPSTREAM_ERROR');
    clock = useTestClock();
    const calls = clock.calls;
    const element = await mount();
    await untilStatus(element, 'pending');
    await clock.until(() => eventsOf(element).length === 1);
    await element.updateComplete;
    expect(statusText(element)).to.contain('Reconnecting');
    expect(part(element, 'qr')).to.not.equal(null);
    await clock.until(() => backend.seenOf('status').length >= 5);
    backend.pay('ORD-1042');
    await clock.until(() => element.status === 'paid');
    expect(eventsOf(element)).to.deep.equal(['error:UPSTREAM_ERROR:retrying', 'paid']);
    expect(calls.mostStatusInFlight).to.equal(1);
  });

  it('times out a create that never answers and tries again', async () => {
    const backend = await useFakeBackend();
    backend.fail('create', hang());
    clock = useTestClock();
    const element = await mount();
    await clock.advance(14_750);
    expect(element.status).to.equal('requesting');
    expect(eventsOf(element)).to.deep.equal([]);
    await clock.until(() => element.status === 'pending', 5_000);
    expect(eventsOf(element)).to.deep.equal(['error:TIMEOUT:retrying']);
    expect(backend.seenOf('create')).to.have.length(2);
  });

  it('aborts a status request that hangs once its timeout passes and asks again, never two at once', async () => {
    const backend = await useFakeBackend();
    let release = () => {};
    backend.fail('status', hang(new Promise<void>((resolve) => (release = resolve))), 1, 'ORD-HANG');
    clock = useTestClock();
    const calls = clock.calls;
    const statuses = () => backend.seenOf('status').filter((request) => request.orderId === 'ORD-HANG');
    try {
      const element = await mount({ orderId: 'ORD-HANG' });
      await untilStatus(element, 'pending');
      await clock.until(() => statuses().length >= 1);
      const [sentAt] = calls.statusTimes('ORD-HANG');
      expect(statuses()[0].wait).to.equal(25);
      // The long poll asks the backend to hold it 25 s and allows 10 s more: until then, nothing new.
      await clock.advance(sentAt + 34_750 - Date.now());
      expect(statuses()).to.have.length(1);
      expect(eventsOf(element)).to.deep.equal([]);

      const outage = oneEvent(element, 'error');
      await clock.until(() => statuses().length >= 2, 5_000);
      expect((await outage).detail).to.include({ code: 'TIMEOUT', willRetry: true });
      // The retry asks for an answer at once, after the first backoff (0.5 to 1 s, one clock step late at most).
      const retriedAfter = calls.statusTimes('ORD-HANG')[1] - sentAt;
      expect(retriedAfter).to.be.within(35_000 + 500, 35_000 + 1000 + 250);
      expect(statuses()[1].wait).to.equal(0);

      backend.pay('ORD-HANG');
      await clock.until(() => element.status === 'paid');
      expect(eventsOf(element)).to.deep.equal(['error:TIMEOUT:retrying', 'paid']);
      expect(calls.mostStatusInFlight).to.equal(1);
    } finally {
      release();
    }
  });
});
