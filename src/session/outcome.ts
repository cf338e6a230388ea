/**
 * What a change of state means to the page: `eventFor` decides, for the element and for anything
 * else that runs a session (a test in Node), which event the change from `previous` to `next`
 * fires, and with which detail. The element turns each into its DOM event.
 */
import type { CancelOutcome, CancelReason, LateRefundStatus, OrderView } from '../contract/types.js';
import type { ContractError } from './errors.js';
import { type SessionState, isFinal } from './state.js';

/** Detail of `paid`. */
export interface PaidDetail {
  orderId: string;
  /** Rupees as the backend reported them, e.g. `"249.00"`. */
  amount: string;
  amazonChargeId?: string;
}

/** Detail of `expired`. */
export interface ExpiredDetail {
  orderId: string;
  /** Present when the element cancelled the QR at expiry; `RefundApplicable` means a late payment is refunded. */
  cancelOutcome?: CancelOutcome;
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

/** Detail of `error`. */
export interface DqrErrorDetail {
  /**
   * A backend error code, or one of the element's: `INVALID_INPUT`, `INVALID_RESPONSE`,
   * `NETWORK_ERROR`, `TIMEOUT`, `PAYMENT_FAILED`, `INTERNAL`.
   */
  code: string;
  message: string;
  /** The HTTP status, when the backend answered. */
  status?: number;
  /** True while the element keeps trying by itself (once per outage, not per attempt). */
  willRetry: boolean;
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

/** An event a change of state fires: its name and detail. */
export type SessionEvent =
  | { type: 'paid'; detail: PaidDetail }
  | { type: 'expired'; detail: ExpiredDetail }
  | { type: 'cancel'; detail: CancelDetail }
  | { type: 'error'; detail: DqrErrorDetail };

function errorEvent({ code, message, status }: ContractError, willRetry: boolean): SessionEvent {
  return { type: 'error', detail: { code, message, status, willRetry } };
}

function paid(order: OrderView): SessionEvent {
  return {
    type: 'paid',
    detail: { orderId: order.orderId, amount: order.amount, amazonChargeId: order.amazonChargeId },
  };
}

/** The failure that began an outage still under way in `state`, if any. */
function outageOf(state: SessionState): ContractError | undefined {
  return 'outage' in state ? state.outage : undefined;
}

/**
 * The event the change from `previous` to `next` fires, if any. Each final state fires once (a
 * payment that lands after the QR expired turns `expired` into `paid`, which fires too); an error
 * fires when it is entered; a retryable failure fires once per outage, with `willRetry`.
 */
export function eventFor(next: SessionState, previous: SessionState): SessionEvent | undefined {
  if (next.kind === 'paid') return previous.kind === 'paid' ? undefined : paid(next.order);
  if (isFinal(previous)) return undefined;
  switch (next.kind) {
    case 'expired':
      return { type: 'expired', detail: { orderId: next.order.orderId, cancelOutcome: next.order.cancel?.outcome } };
    case 'cancelled':
      return {
        type: 'cancel',
        detail: {
          orderId: next.order.orderId,
          reason: next.reason,
          outcome: next.order.cancel?.outcome,
          refundRequested: next.order.cancel?.refund ?? false,
        },
      };
    case 'failed':
      return {
        type: 'error',
        detail: {
          code: 'PAYMENT_FAILED',
          message: 'The payment failed. Start a new order to try again.',
          willRetry: false,
        },
      };
    case 'error':
      return previous.kind === 'error' ? undefined : errorEvent(next.error, false);
    case 'invalid':
      return { type: 'error', detail: { code: 'INVALID_INPUT', message: next.message, willRetry: false } };
    case 'pending':
      if (next.cancelFailure && previous.kind === 'cancelling') return errorEvent(next.cancelFailure, false);
      break;
  }
  const outage = outageOf(next);
  return outage && !outageOf(previous) ? errorEvent(outage, true) : undefined;
}
