/** Mounting the element against the fake backend, and waiting on what a user would see. */
import { expect, fixture, html } from '@open-wc/testing';
import sinon from 'sinon';
import { useFakeBackend } from '../mocks/worker.js';
import '../../src/define.js';
import { DqrErrorEvent, type AmazonPayDqr, type DqrStatus } from '../../src/amazonpay-dqr.js';

/** Properties a test sets before the element connects. */
export type Setup = Partial<
  Pick<
    AmazonPayDqr,
    | 'endpoint'
    | 'orderId'
    | 'amount'
    | 'currency'
    | 'expiresIn'
    | 'format'
    | 'noAutoCancel'
    | 'noCancelButton'
    | 'payOnDevice'
    | 'requestInit'
    | 'terminalId'
    | 'storeId'
  >
>;

const recorded = new WeakMap<AmazonPayDqr, Event[]>();

/** An element with valid inputs (overridden by `setup`), connected inside a fixture; its events are recorded. */
export async function mount(setup: Setup = {}, lang?: string): Promise<AmazonPayDqr> {
  const parent = await fixture<HTMLDivElement>(html`<div lang=${lang ?? 'en'}></div>`);
  const element = document.createElement('amazonpay-dqr');
  Object.assign(element, { endpoint: '/api/dqr', orderId: 'ORD-1042', amount: '249.00', ...setup });
  const events: Event[] = [];
  for (const type of ['paid', 'expired', 'cancel', 'error'])
    element.addEventListener(type, (event) => events.push(event));
  recorded.set(element, events);
  parent.append(element);
  return element;
}

/** The element's `paid`, `expired`, `cancel` and `error` events so far, as `type` or `type:code`. */
export function eventsOf(element: AmazonPayDqr): string[] {
  return (recorded.get(element) ?? []).map((event) =>
    event instanceof DqrErrorEvent
      ? `error:${event.detail.code}${event.detail.willRetry ? ':retrying' : ''}`
      : event.type,
  );
}

/** Resolves once the `status` attribute reads `status` and that state is rendered (no timers used). */
export async function untilStatus(element: AmazonPayDqr, status: DqrStatus): Promise<void> {
  if (element.getAttribute('status') !== status) {
    await new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        if (element.getAttribute('status') === status) {
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(element, { attributes: true, attributeFilter: ['status'] });
    });
  }
  await element.updateComplete;
}

/** The element's part `name`, in its shadow root. */
export function part<T extends Element = HTMLElement>(element: AmazonPayDqr, name: string): T | null {
  return element.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
}

/** The text of the polite status region. */
export function statusText(element: AmazonPayDqr): string {
  return part(element, 'status')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

/** Waits for `element` to refuse its backend's answer: the error said, no QR, countdown or retry. */
export async function expectInvalidResponse(element: AmazonPayDqr): Promise<void> {
  await untilStatus(element, 'error');
  expect(statusText(element)).to.contain('invalid response');
  for (const name of ['qr', 'countdown', 'retry-button']) expect(part(element, name), name).to.equal(null);
  expect(eventsOf(element)).to.deep.equal(['error:INVALID_RESPONSE']);
}

/**
 * For each test of the enclosing suite: the fake backend started on real timers, then the element
 * on a fake clock (timeouts and `Date`) that the test moves. Returns the current test's clock.
 */
export function fakeClockAfterBackend(): () => sinon.SinonFakeTimers {
  let clock: sinon.SinonFakeTimers;
  beforeEach(async () => {
    await useFakeBackend();
    clock = sinon.useFakeTimers({
      now: Date.parse('2025-03-01T10:00:00Z'),
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
  });
  afterEach(() => clock.restore());
  return () => clock;
}
