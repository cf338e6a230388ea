import { expect, oneEvent } from '@open-wc/testing';
import sinon from 'sinon';
import { watchFetch } from '../mocks/fetch-watch.js';
import { useFakeBackend } from '../mocks/worker.js';
import { eventsOf, mount, statusText, untilStatus } from './helpers.js';

describe('polling', () => {
  afterEach(() => sinon.restore());

  it('long-polls with wait=25 and never has two status requests in flight', async () => {
    const calls = watchFetch();
    const backend = await useFakeBackend();
    const element = await mount();
    await untilStatus(element, 'pending');
    expect((await backend.next('status')).wait).to.equal(25);
    element.checkStatus();
    element.checkStatus();
    document.dispatchEvent(new Event('visibilitychange'));
    await backend.next('status');
    backend.pay('ORD-1042');
    await untilStatus(element, 'paid');
    expect(calls.mostStatusInFlight).to.equal(1);
    expect(backend.seenOf('status').some((request) => request.wait === 0)).to.equal(true);
  });

  it('falls back to interval polling when the backend answers at once', async () => {
    const backend = await useFakeBackend();
    backend.holdLongPolls = false;
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const element = await mount();
    await untilStatus(element, 'pending');
    await backend.next('status');
    const second = backend.next('status');
    await clock.tickAsync(1_999);
    expect(backend.seenOf('status')).to.have.length(1);
    await clock.tickAsync(1);
    await second;
    clock.restore();
  });

  it('retries 5xx with backoff, shows reconnecting, reports the outage once', async () => {
    const backend = await useFakeBackend();
    backend.failWith('status', 503, 2);
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const element = await mount();
    await untilStatus(element, 'pending');
    await oneEvent(element, 'error');
    await element.updateComplete;
    expect(statusText(element)).to.contain('Reconnecting');
    // The retries wait on the fake clock, their answers on the real network: step both.
    for (let step = 0; step < 40 && backend.seenOf('status').length < 3; step++) {
      await clock.tickAsync(250);
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    // Two failures, then the retry that gets through (the next long poll may follow in the same step).
    expect(backend.seenOf('status').length).to.be.at.least(3);
    backend.pay('ORD-1042');
    await untilStatus(element, 'paid');
    expect(eventsOf(element)).to.deep.equal(['error:UPSTREAM_UNAVAILABLE:retrying', 'paid']);
    clock.restore();
  });

  it('stops on a 4xx with the message', async () => {
    const backend = await useFakeBackend();
    backend.failWith('status', 404, 1, 'NOT_FOUND');
    const element = await mount();
    await untilStatus(element, 'error');
    expect(statusText(element)).to.contain('Fake 404 failure');
    expect(element.shadowRoot!.querySelector('[part~="retry-button"]')).to.equal(null);
    expect(eventsOf(element)).to.deep.equal(['error:NOT_FOUND']);
  });

  it('pauses offline and checks at once when back online', async () => {
    const backend = await useFakeBackend();
    const element = await mount();
    await untilStatus(element, 'pending');
    await backend.next('status');
    window.dispatchEvent(new Event('offline'));
    await element.updateComplete;
    expect(statusText(element)).to.contain('offline');
    const check = backend.next('status');
    window.dispatchEvent(new Event('online'));
    expect((await check).wait).to.equal(0);
  });

  it('merges the host requestInit headers into every call', async () => {
    const backend = await useFakeBackend();
    const element = await mount({ requestInit: { headers: { authorization: 'Bearer till-3' } } });
    await untilStatus(element, 'pending');
    await backend.next('status');
    expect(backend.requests.every((request) => request.headers.get('authorization') === 'Bearer till-3')).to.equal(
      true,
    );
  });
});
