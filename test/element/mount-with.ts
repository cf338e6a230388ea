/** Mounting elements with any of their properties, for the counter and kiosk feature tests. */
import { fixture, html } from '@open-wc/testing';
import '../../src/define.js';
import type { AmazonPayDqr } from '../../src/amazonpay-dqr.js';

/** Writable properties a test may set before the element connects. */
export type Props = Partial<
  Pick<
    AmazonPayDqr,
    | 'endpoint'
    | 'orderId'
    | 'amount'
    | 'expiresIn'
    | 'channel'
    | 'mirror'
    | 'kiosk'
    | 'sound'
    | 'latePaymentGrace'
    | 'regenerate'
    | 'noAutoCancel'
    | 'payOnDevice'
  >
>;

/** A container of the given size and `lang`, in a fixture. */
export function container(width = 400, lang = 'en'): Promise<HTMLDivElement> {
  return fixture<HTMLDivElement>(html`<div lang=${lang} style="width: ${width}px"></div>`);
}

/** An element with valid inputs (overridden by `props`), appended to `parent`. */
export function mountIn(parent: Element, props: Props = {}): AmazonPayDqr {
  const element = document.createElement('amazonpay-dqr');
  Object.assign(element, { endpoint: '/api/dqr', orderId: 'ORD-1042', amount: '249.00', ...props });
  parent.append(element);
  return element;
}

/** Every event of `types` the element fires, in order. */
export function record(element: AmazonPayDqr, types: string[]): Event[] {
  const events: Event[] = [];
  for (const type of types) element.addEventListener(type, (event) => events.push(event));
  return events;
}

/** Resolves once `check` holds, checked every animation frame (frames run on real time under fake timers). */
export async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => requestAnimationFrame(resolve));
}
