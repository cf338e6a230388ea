/**
 * The element's events, as typed `Event` subclasses so listeners on the element get a typed
 * `detail` through `AmazonPayDqrEventMap`. `paid`, `expired`, `cancel` and `late-payment` bubble and cross shadow
 * roots (a POS shell can listen on `document`) and cannot be cancelled: they report what already
 * happened. `regenerate` is the one cancelable event: it asks the host a question.
 */
import type { CancelOutcome, CancelReason, LateRefundStatus } from '../contract/types.js';

const init: EventInit = { bubbles: true, composed: true, cancelable: false };

/** Detail of `paid`. */
export interface PaidDetail {
  orderId: string;
  /** Rupees as the backend reported them, e.g. `"249.00"`. */
  amount: string;
  amazonChargeId?: string;
}

/** The customer paid: hand over the goods. Fires at most once per order. */
export class PaidEvent extends Event {
  static readonly type = 'paid';
  constructor(readonly detail: PaidDetail) {
    super(PaidEvent.type, init);
  }
}

/** Detail of `expired`. */
export interface ExpiredDetail {
  orderId: string;
  /** Present when the element cancelled the QR at expiry; `RefundApplicable` means a late payment is refunded. */
  cancelOutcome?: CancelOutcome;
}

/** The QR expired unpaid. Fires at most once per order. */
export class ExpiredEvent extends Event {
  static readonly type = 'expired';
  constructor(readonly detail: ExpiredDetail) {
    super(ExpiredEvent.type, init);
  }
}

/** Detail of `cancel`. */
export interface CancelDetail {
  orderId: string;
  /** Absent when the order was cancelled elsewhere (another till, the backend). */
  reason?: CancelReason;
  /** Amazon's answer; `RefundApplicable` means the customer had paid and the money goes back. */
  outcome?: CancelOutcome;
  /** Whether a refund was asked for with the cancel. */
  refundRequested: boolean;
}

/** The order was cancelled. Fires at most once per order. */
export class CancelEvent extends Event {
  static readonly type = 'cancel';
  constructor(readonly detail: CancelDetail) {
    super(CancelEvent.type, init);
  }
}

/** Detail of `late-payment`. */
export interface LatePaymentDetail {
  orderId: string;
  /** Rupees of the order, e.g. `"249.00"`. */
  amount: string;
  amazonChargeId?: string;
  /** The backend refunds a late payment by itself: `Requested` until Amazon answers, then Amazon's word. */
  refundStatus: LateRefundStatus;
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

/** Detail of `error`. */
export interface DqrErrorDetail {
  /** A backend error code, or one of the element's: `INVALID_INPUT`, `INVALID_RESPONSE`, `NETWORK_ERROR`, `TIMEOUT`, `PAYMENT_FAILED`. */
  code: string;
  message: string;
  /** The HTTP status, when the backend answered. */
  status?: number;
  /** True while the element keeps trying by itself (once per outage, not per attempt). */
  willRetry: boolean;
}

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
