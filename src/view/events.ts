/**
 * The element's events, as typed `Event` subclasses so listeners on the element get a typed
 * `detail` through `AmazonPayDqrEventMap`. `paid`, `expired`, `cancel` and `late-payment` bubble and cross shadow
 * roots (a POS shell can listen on `document`) and cannot be cancelled: they report what already
 * happened. `regenerate` is the one cancelable event: it asks the host a question.
 */
import type {
  CancelDetail,
  DqrErrorDetail,
  ExpiredDetail,
  LatePaymentDetail,
  PaidDetail,
  SessionEvent,
} from '../session/outcome.js';

export type { CancelDetail, DqrErrorDetail, ExpiredDetail, LatePaymentDetail, PaidDetail };

const init: EventInit = { bubbles: true, composed: true, cancelable: false };

/** The customer paid: hand over the goods. Fires at most once per order. */
export class PaidEvent extends Event {
  static readonly type = 'paid';
  constructor(readonly detail: PaidDetail) {
    super(PaidEvent.type, init);
  }
}

/** The QR expired unpaid. Fires at most once per order. */
export class ExpiredEvent extends Event {
  static readonly type = 'expired';
  constructor(readonly detail: ExpiredDetail) {
    super(ExpiredEvent.type, init);
  }
}

/** The order was cancelled. Fires at most once per order. */
export class CancelEvent extends Event {
  static readonly type = 'cancel';
  constructor(readonly detail: CancelDetail) {
    super(CancelEvent.type, init);
  }
}

/**
 * A payment landed after the order had ended (within `late-payment-grace`); the backend refunds
 * it. Tell the cashier so the customer is not charged twice. Fires once per order.
 */
export class LatePaymentEvent extends Event {
  static readonly type = 'late-payment';
  constructor(readonly detail: LatePaymentDetail) {
    super(LatePaymentEvent.type, init);
  }
}

/** Detail of `regenerate`. */
export interface RegenerateDetail {
  /** The order whose QR just expired. */
  orderId: string;
  /** 1 for the first fresh QR, up to the `regenerate` attribute. */
  attempt: number;
  /** Gives the element the new order's id (or set `orderId` in the listener). */
  setOrderId(orderId: string): void;
}

/**
 * The QR expired and `regenerate` allows another: give a new order id to show a fresh QR, or call
 * `preventDefault()` (or give none) to end with `expired`. Bubbles and crosses shadow roots.
 */
export class RegenerateEvent extends Event {
  static readonly type = 'regenerate';
  constructor(readonly detail: RegenerateDetail) {
    super(RegenerateEvent.type, { bubbles: true, composed: true, cancelable: true });
  }
}

/**
 * `ErrorEvent` where the platform has it. Node (server-side rendering) has only `Event`: the
 * module must still load there, and nothing is dispatched on a server.
 */
const ErrorEventBase: typeof ErrorEvent = globalThis.ErrorEvent ?? (Event as unknown as typeof ErrorEvent);

/**
 * Something went wrong; `willRetry` says whether the element recovers by itself. An `ErrorEvent`
 * (with `message`) because the DOM's event map already types `error` as one. It does not bubble:
 * an `error` event reaching `window` runs `window.onerror`, so error trackers and test runners
 * would take it for an uncaught script error. Listen on the element.
 */
export class DqrErrorEvent extends ErrorEventBase {
  static readonly type = 'error';
  constructor(readonly detail: DqrErrorDetail) {
    super(DqrErrorEvent.type, { bubbles: false, composed: true, cancelable: false, message: detail.message });
  }
}

/**
 * The element's events by name, over every HTML element's own: what `addEventListener` on an
 * `AmazonPayDqr` types its listener with, as lib.dom's `HTMLMediaElementEventMap` does for media
 * elements. Only this element has them: an `<img>`'s `error` stays the DOM's plain `Event`.
 */
export interface AmazonPayDqrEventMap extends HTMLElementEventMap {
  paid: PaidEvent;
  expired: ExpiredEvent;
  cancel: CancelEvent;
  error: DqrErrorEvent;
  'late-payment': LatePaymentEvent;
  regenerate: RegenerateEvent;
}

/** The DOM event for what a session's change means (see `eventFor`). */
export function domEvent({ type, detail }: SessionEvent): Event {
  switch (type) {
    case 'paid':
      return new PaidEvent(detail);
    case 'expired':
      return new ExpiredEvent(detail);
    case 'cancel':
      return new CancelEvent(detail);
    case 'error':
      return new DqrErrorEvent(detail);
  }
}
