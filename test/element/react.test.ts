/**
 * The React wrapper (`amazonpay-dqr/react`) as a React app uses it: rendered by react-dom into a
 * container against the fake backend. Props reach the element, each event prop is called with its
 * typed event, a new order id starts a new order, and unmounting ends every request. React's
 * development build runs here, so any warning it has about the wrapper would reach `console.error`.
 */
import { expect } from '@open-wc/testing';
import React, { type ComponentProps } from 'react';
import ReactDOM from 'react-dom';
import ReactDOMClient, { type Root } from 'react-dom/client';
import ReactDOMServer from 'react-dom/server';
import sinon from 'sinon';
import {
  AmazonPayDqr,
  type AmazonPayDqrElement,
  type CancelEvent,
  type DqrErrorEvent,
  type ExpiredEvent,
  type LatePaymentEvent,
  type PaidEvent,
  type RegenerateEvent,
} from '../../src/react.js';
import { watchFetch } from '../mocks/fetch-watch.js';
import { useFakeBackend } from '../mocks/worker.js';
import { fakeClockAfterBackend, part, untilStatus } from './helpers.js';
import { until } from './mount-with.js';

// React ships CommonJS only: each module's exports are its default export, in a browser as in a bundler.
const { createElement, createRef } = React;
const { flushSync } = ReactDOM;
const { createRoot, hydrateRoot } = ReactDOMClient;
const { renderToString } = ReactDOMServer;

/** What `<AmazonPayDqr>` accepts. */
type WrapperProps = ComponentProps<typeof AmazonPayDqr>;

/** A valid order, the props every test starts from. */
const order = { endpoint: '/api/dqr', orderId: 'ORD-R1', amount: '249.00' } satisfies WrapperProps;

/** Renders (or re-renders) the wrapper into its own root and returns the element it rendered. */
function render(root: Root, props: WrapperProps): AmazonPayDqrElement {
  const ref = createRef<AmazonPayDqrElement>();
  flushSync(() => root.render(createElement(AmazonPayDqr, { ...props, ref })));
  return ref.current!;
}

/** A handler that records its events and resolves once it has been called. */
function calls<T extends Event>(): { handle: (event: T) => void; seen: T[]; first: Promise<T> } {
  const seen: T[] = [];
  let resolve!: (event: T) => void;
  const first = new Promise<T>((done) => (resolve = done));
  return {
    seen,
    first,
    handle: (event) => {
      seen.push(event);
      resolve(event);
    },
  };
}

describe('React wrapper', () => {
  let root: Root;
  let consoleError: sinon.SinonSpy;

  beforeEach(() => {
    consoleError = sinon.spy(console, 'error');
    const container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });

  afterEach(() => {
    const container = document.body.lastElementChild!;
    flushSync(() => root.unmount());
    container.remove();
    const errors = consoleError.getCalls().map((call) => call.args.join(' '));
    sinon.restore();
    expect(errors, 'React or the element logged an error').to.deep.equal([]);
  });

  describe('on real timers', () => {
    it('sets its props on the element, which asks the backend for that order in that language', async () => {
      const backend = await useFakeBackend();
      const created = backend.next('create');
      const element = render(root, {
        ...order,
        expiresIn: 120,
        storeId: 'STORE-7',
        terminalId: 'TILL-2',
        kiosk: true,
        noCancelButton: true,
        lang: 'hi',
        requestInit: { headers: { 'x-till-session': 'abc' } },
      });
      const request = await created;
      expect(request.body).to.include({
        orderId: 'ORD-R1',
        amount: '249.00',
        expiresIn: 120,
        storeId: 'STORE-7',
        terminalId: 'TILL-2',
      });
      expect(request.headers.get('x-till-session')).to.equal('abc');
      await untilStatus(element, 'pending');
      expect(element.hasAttribute('kiosk'), 'kiosk reflects, for CSS').to.equal(true);
      expect(part(element, 'cancel-button')).to.equal(null);
      expect(part(element, 'amount')!.textContent).to.contain('249.00');
      await until(() => element.shadowRoot!.textContent!.includes('किसी भी UPI ऐप'));
    });

    it('calls onPaid with the paid event when the backend reports the payment', async () => {
      const backend = await useFakeBackend();
      const paid = calls<PaidEvent>();
      const element = render(root, { ...order, onPaid: paid.handle });
      await untilStatus(element, 'pending');
      backend.pay('ORD-R1', 'P04-1234567-1234567');
      expect((await paid.first).detail).to.deep.equal({
        orderId: 'ORD-R1',
        amount: '249.00',
        amazonChargeId: 'P04-1234567-1234567',
      });
      await element.updateComplete;
      expect(paid.seen).to.have.length(1);
    });

    it('calls onCancel with the cancel event when the cashier cancels', async () => {
      await useFakeBackend();
      const cancelled = calls<CancelEvent>();
      const element = render(root, { ...order, onCancel: cancelled.handle });
      await untilStatus(element, 'pending');
      part(element, 'cancel-button')!.click();
      expect((await cancelled.first).detail).to.deep.equal({
        orderId: 'ORD-R1',
        reason: 'USER_CANCELLATION',
        outcome: 'Approved',
        refundRequested: true,
      });
    });

    it('calls onDqrError with the error event when the backend refuses the order', async () => {
      const backend = await useFakeBackend();
      backend.failWith('create', 409, 1, 'ORDER_CONFLICT');
      const failed = calls<DqrErrorEvent>();
      render(root, { ...order, onDqrError: failed.handle });
      expect((await failed.first).detail).to.deep.include({ code: 'ORDER_CONFLICT', status: 409, willRetry: false });
    });

    it('starts a new order when the orderId prop changes, and calls the latest onPaid only', async () => {
      const backend = await useFakeBackend();
      const before = calls<PaidEvent>();
      const after = calls<PaidEvent>();
      const element = render(root, { ...order, onPaid: before.handle });
      await untilStatus(element, 'pending');
      const created = backend.next('create');
      expect(render(root, { ...order, orderId: 'ORD-R2', onPaid: after.handle }), 'same element').to.equal(element);
      expect((await created).orderId).to.equal('ORD-R2');
      await untilStatus(element, 'pending');
      backend.pay('ORD-R1');
      backend.pay('ORD-R2');
      expect((await after.first).detail.orderId).to.equal('ORD-R2');
      await element.updateComplete;
      expect(before.seen).to.deep.equal([]);
      expect(after.seen).to.have.length(1);
    });

    it('hydrates its server-rendered HTML without a mismatch and then starts the order', async () => {
      const backend = await useFakeBackend();
      const created = backend.next('create');
      const paid = calls<PaidEvent>();
      const app = () => createElement(AmazonPayDqr, { ...order, lang: 'hi', onPaid: paid.handle });
      const server = document.createElement('div');
      server.innerHTML = renderToString(app());
      document.body.append(server);
      const element = server.querySelector('amazonpay-dqr')!;
      const hydrated = hydrateRoot(server, app());
      try {
        expect((await created).orderId).to.equal('ORD-R1');
        expect(server.querySelector('amazonpay-dqr'), 'the server-rendered element is kept').to.equal(element);
        await untilStatus(element, 'pending');
        backend.pay('ORD-R1');
        expect((await paid.first).detail.orderId).to.equal('ORD-R1');
      } finally {
        flushSync(() => hydrated.unmount());
        server.remove();
      }
    });

    it('types each event prop with its own event: tsc rejects a handler of another event', () => {
      const onCancel = (event: CancelEvent) => event.detail.refundRequested;
      // @ts-expect-error `onPaid` is called with a PaidEvent, which has no `refundRequested`.
      const props: WrapperProps = { ...order, onPaid: onCancel, onCancel };
      expect(createElement(AmazonPayDqr, props).props.onCancel).to.equal(onCancel);
    });
  });

  describe('on a fake clock', () => {
    const clock = fakeClockAfterBackend();

    it('calls onRegenerate, onExpired and onLatePayment as the QR runs out', async () => {
      const backend = await useFakeBackend();
      const regenerated = calls<RegenerateEvent>();
      const expired = calls<ExpiredEvent>();
      const late = calls<LatePaymentEvent>();
      const element = render(root, {
        ...order,
        expiresIn: 60,
        regenerate: 1,
        latePaymentGrace: 180,
        onRegenerate: (event) => {
          regenerated.handle(event);
          event.detail.setOrderId('ORD-R1-B');
        },
        onExpired: expired.handle,
        onLatePayment: late.handle,
      });
      await untilStatus(element, 'pending');
      await clock().tickAsync(60_000);
      expect((await regenerated.first).detail).to.include({ orderId: 'ORD-R1', attempt: 1 });
      await untilStatus(element, 'pending');
      expect(element.orderId).to.equal('ORD-R1-B');
      await clock().tickAsync(60_000);
      expect((await expired.first).detail).to.deep.equal({ orderId: 'ORD-R1-B', cancelOutcome: 'Approved' });
      backend.update('ORD-R1-B', { latePayment: { amazonChargeId: 'P04-9', refundStatus: 'Requested' } });
      await clock().tickAsync(5_000);
      expect((await late.first).detail).to.deep.equal({
        orderId: 'ORD-R1-B',
        amount: '249.00',
        amazonChargeId: 'P04-9',
        refundStatus: 'Requested',
      });
    });

    it('ends every request and timer when unmounted', async () => {
      const backend = await useFakeBackend();
      backend.holdLongPolls = false;
      const fetch = watchFetch();
      const paid = calls<PaidEvent>();
      const element = render(root, { ...order, onPaid: paid.handle });
      await untilStatus(element, 'pending');
      await backend.next('status');
      flushSync(() => root.unmount());
      expect(element.isConnected).to.equal(false);
      const stub = window.fetch as unknown as sinon.SinonStub<[RequestInfo | URL, RequestInit?]>;
      expect(stub.getCalls().map((call) => call.args[1]?.signal?.aborted)).to.satisfy((aborted: boolean[]) =>
        aborted.every(Boolean),
      );
      await new Promise((resolve) => requestAnimationFrame(resolve));
      expect(clock().countTimers()).to.equal(0);
      const sent = fetch.sent.length;
      backend.pay('ORD-R1');
      await clock().tickAsync(600_000);
      expect(fetch.sent.length).to.equal(sent);
      expect(paid.seen).to.deep.equal([]);
    });
  });
});
