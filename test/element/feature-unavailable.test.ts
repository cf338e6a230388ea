import { expect, oneEvent } from '@open-wc/testing';
import { http, HttpResponse } from 'msw';
import sinon from 'sinon';
import { useFakeBackend, useHandlers } from '../mocks/worker.js';
import { fakeClockAfterBackend, untilStatus } from './helpers.js';
import { container, mountIn, record } from './mount-with.js';

/**
 * An opt-in feature whose module cannot be fetched (a CDN hiccup, a file left out of a deploy) stays
 * off with one warning; the payment itself goes on as if the feature were never asked for. Its own
 * test page: a module that failed to load stays failed for the page.
 */
describe('an opt-in feature that cannot be fetched', () => {
  const clock = fakeClockAfterBackend();

  it('expires as usual when regeneration cannot load, with one warning and no regenerate event', async () => {
    const backend = await useFakeBackend();
    useHandlers(http.get(/\/features\/regenerate\.(js|ts)$/, () => HttpResponse.error()));
    const warn = sinon.stub(console, 'warn');
    try {
      const element = mountIn(await container(), { regenerate: 2, expiresIn: 60 });
      const events = record(element, ['expired', 'regenerate']);
      await untilStatus(element, 'pending');
      const expired = oneEvent(element, 'expired');
      await clock().tickAsync(60_000);
      expect((await expired).detail.orderId).to.equal('ORD-1042');
      expect(events.map((event) => event.type)).to.deep.equal(['expired']);
      expect(backend.seenOf('create')).to.have.length(1);
      expect(warn.args.map(([message]) => message as unknown)).to.deep.equal([
        '<amazonpay-dqr>: the "regenerate" feature did not load, so it is off.',
      ]);
    } finally {
      warn.restore();
    }
  });
});
