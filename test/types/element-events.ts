/**
 * Type tests, checked by `npm run typecheck` (nothing runs): listeners on `<amazonpay-dqr>` get
 * the element's own event types, and no other element or target does. Each `@ts-expect-error`
 * fails the typecheck if its line ever compiles.
 */
import type { ComponentProps } from 'react';
import type {
  AmazonPayDqr,
  AmazonPayDqrEventMap,
  CancelEvent,
  DqrErrorEvent,
  ExpiredEvent,
  LatePaymentEvent,
  PaidEvent,
  RegenerateEvent,
} from '../../src/amazonpay-dqr.js';
import type { AmazonPayDqr as AmazonPayDqrComponent } from '../../src/react.js';

/** True only when `A` and `B` are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when given `true`. */
function assertType<T extends true>(_check?: T): void {}

declare const dqr: AmazonPayDqr;
declare const img: HTMLImageElement;

// The element's own events, by name, with their own classes and details.
assertType<Equal<AmazonPayDqrEventMap['paid'], PaidEvent>>();
assertType<Equal<AmazonPayDqrEventMap['expired'], ExpiredEvent>>();
assertType<Equal<AmazonPayDqrEventMap['cancel'], CancelEvent>>();
assertType<Equal<AmazonPayDqrEventMap['error'], DqrErrorEvent>>();
assertType<Equal<AmazonPayDqrEventMap['late-payment'], LatePaymentEvent>>();
assertType<Equal<AmazonPayDqrEventMap['regenerate'], RegenerateEvent>>();
// And every HTML element's events still, typed as the DOM types them.
assertType<Equal<AmazonPayDqrEventMap['keydown'], KeyboardEvent>>();

dqr.addEventListener('paid', (event) => {
  assertType<Equal<typeof event, PaidEvent>>();
  return event.detail.amazonChargeId;
});
dqr.addEventListener('error', function (event) {
  assertType<Equal<typeof this, AmazonPayDqr>>();
  return event.detail.willRetry satisfies boolean;
});
dqr.addEventListener('regenerate', (event) => event.detail.setOrderId('ORD-2'), { once: true });
const onCancel = (event: CancelEvent) => event.detail.refundRequested;
dqr.addEventListener('cancel', onCancel);
dqr.removeEventListener('cancel', onCancel);
// Names it does not know take any listener, as on every element.
dqr.addEventListener('custom-thing', (event) => event.type);

// @ts-expect-error a `paid` listener gets a PaidEvent, whose detail has no `cancelOutcome`.
dqr.addEventListener('paid', (event) => event.detail.cancelOutcome);
// @ts-expect-error a listener for another event's class does not fit `paid`.
dqr.addEventListener('paid', onCancel);
// @ts-expect-error nor can it be removed from `paid`.
dqr.removeEventListener('paid', onCancel);

// Other elements keep the DOM's types: an image's `error` is a plain Event, without a `detail`.
// @ts-expect-error `detail` is the element's, not every element's.
img.addEventListener('error', (event) => event.detail.code);
// @ts-expect-error the element's `paid` is not on the document either.
document.addEventListener('paid', (event) => event.detail.orderId);
assertType<Equal<HTMLElementEventMap['error'], ErrorEvent>>();
// @ts-expect-error the global map has no `paid`.
assertType<Equal<HTMLElementEventMap['paid'], PaidEvent>>();

// The React wrapper's props stay typed by the same events.
type Props = ComponentProps<typeof AmazonPayDqrComponent>;
assertType<Equal<Parameters<NonNullable<Props['onPaid']>>[0], PaidEvent>>();
assertType<Equal<Parameters<NonNullable<Props['onDqrError']>>[0], DqrErrorEvent>>();
assertType<Equal<Parameters<NonNullable<Props['onRegenerate']>>[0], RegenerateEvent>>();
