/**
 * A payment session's one state value and its pure transitions: no DOM, timers or fetch here, so
 * every rule about which state may follow which is testable as plain functions.
 */
import type { CancelRequest, OrderView } from '../contract/types.js';
import type { ContractError } from './errors.js';

/** Every state a session can be in; `kind` is the element's `status` attribute. */
export type SessionState =
  | { kind: 'idle' }
  | { kind: 'invalid'; message: string }
  /** Asking for the QR. `outage`: the last failure while retrying; `regenerating`: a fresh QR for an expired one. */
  | { kind: 'requesting'; regenerating: boolean; outage?: ContractError }
  /** The QR is payable. `cancelFailure`: why the cashier's last cancel did not go through. */
  | { kind: 'pending'; order: OrderView; offline: boolean; outage?: ContractError; cancelFailure?: ContractError }
  /**
   * Past the deadline, QR hidden: asking the backend until it says how the order ended. `closing`:
   * the cancel to make once it still says pending (the expiry's own or the cashier's; none with
   * `no-auto-cancel`, when "pending" ends the order as expired).
   */
  | { kind: 'expiring'; order: OrderView; offline: boolean; outage?: ContractError; closing?: CancelRequest }
  /**
   * `request` is on its way. `timeUp`: the deadline has passed, so a failed cancel cannot go back
   * to a live QR and `closing` (or `request` again) is made until the backend answers, through the
   * same `outage`.
   */
  | {
      kind: 'cancelling';
      order: OrderView;
      request: CancelRequest;
      timeUp: boolean;
      closing?: CancelRequest;
      outage?: ContractError;
    }
  | { kind: 'paid'; order: OrderView }
  | { kind: 'expired'; order: OrderView }
  | { kind: 'cancelled'; order: OrderView; reason?: CancelRequest['reason'] }
  | { kind: 'failed'; order: OrderView }
  | { kind: 'error'; error: ContractError };

/** The value of the element's `status` attribute. */
export type DqrStatus = SessionState['kind'];

/** What can happen to a session; it feeds these to `transition`. */
export type SessionAction =
  /** A new order starts (connected, `order-id` changed, retry, regeneration): the only way out of a final state. */
  | { type: 'reset' }
  | { type: 'invalid'; message: string }
  | { type: 'request'; regenerating: boolean }
  /** The backend's answer to any call about the order. */
  | { type: 'view'; view: OrderView }
  /** A retryable failure; the session tries again on its backoff. */
  | { type: 'retrying'; error: ContractError }
  | { type: 'offline'; offline: boolean }
  /** The countdown reached zero; `closing` is the cancel the expiry makes (none with `no-auto-cancel`). */
  | { type: 'deadline'; closing?: CancelRequest }
  | { type: 'cancel'; request: CancelRequest }
  /** Past the deadline, the cashier's cancel takes the place of the expiry's own. */
  | { type: 'close'; request: CancelRequest }
  /**
   * A cancel could not be made: back to the QR before the deadline (saying why, when `error` is
   * given), back to asking after it. Without the backend's answer the order is never called ended.
   */
  | { type: 'cancel-failed'; error?: ContractError }
  | { type: 'error'; error: ContractError }
  /** An answer about the order after it ended (the late-payment grace period). */
  | { type: 'late'; view: OrderView }
  /** A customer display takes over the cashier's state as it is. */
  | { type: 'mirror'; state: SessionState };

/** States no action but `reset` leaves: each fires its event once, and only one of them fires. */
export const FINAL_KINDS: readonly DqrStatus[] = ['paid', 'expired', 'cancelled', 'failed'];

/** States in which the QR (or its placeholder) is on screen and the order is still open. */
export const PAYING_KINDS: readonly DqrStatus[] = ['pending', 'expiring', 'cancelling'];

/** True when the order is over, for better (paid) or worse. */
export function isFinal(state: SessionState): boolean {
  return FINAL_KINDS.includes(state.kind);
}

/** The order the state shows, when it has one. */
export function orderOf(state: SessionState): OrderView | undefined {
  return 'order' in state ? state.order : undefined;
}

function expiring(
  order: OrderView,
  closing: CancelRequest | undefined,
  offline = false,
  outage?: ContractError,
): SessionState {
  return { kind: 'expiring', order, offline, closing, outage };
}

function pending(order: OrderView, offline = false, cancelFailure?: ContractError): SessionState {
  return { kind: 'pending', order, offline, cancelFailure };
}

function fromView(state: SessionState, view: OrderView): SessionState {
  const offline = 'offline' in state && state.offline;
  switch (view.status) {
    case 'paid':
      return { kind: 'paid', order: view };
    case 'failed':
      return { kind: 'failed', order: view };
    case 'expired':
      return { kind: 'expired', order: view };
    case 'cancelled':
      if (state.kind !== 'cancelling') return { kind: 'cancelled', order: view };
      if (state.request.reason === 'SESSION_EXPIRED') return { kind: 'expired', order: view };
      return { kind: 'cancelled', order: view, reason: state.request.reason };
    case 'pending':
      // Past the deadline the order is still undecided: keep asking, QR hidden, unless nothing is
      // left to cancel (`no-auto-cancel`), when the backend's "pending" means the QR expired unpaid.
      if (state.kind === 'expiring')
        return state.closing ? expiring(view, state.closing, offline) : { kind: 'expired', order: view };
      if (state.kind === 'cancelling')
        return state.timeUp ? expiring(view, state.closing ?? state.request) : pending(view);
      return pending(view, offline, state.kind === 'pending' ? state.cancelFailure : undefined);
    default:
      // An unknown status is never read as paid.
      return state;
  }
}

/**
 * After the order ended: a late payment is added to an expired or cancelled order, and an order
 * that only expired (not cancelled upstream) and turns out paid is paid after all.
 */
function afterEnd(state: SessionState, view: OrderView): SessionState {
  if ((state.kind !== 'expired' && state.kind !== 'cancelled') || view.orderId !== state.order.orderId) return state;
  if (view.status === 'paid' && state.kind === 'expired') return { kind: 'paid', order: view };
  if (!view.latePayment) return state;
  return { ...state, order: { ...state.order, latePayment: view.latePayment } };
}

/** The next state; anything that does not apply to the current state leaves it unchanged. */
export function transition(state: SessionState, action: SessionAction): SessionState {
  if (action.type === 'reset') return { kind: 'idle' };
  if (action.type === 'mirror') return action.state;
  if (action.type === 'late') return afterEnd(state, action.view);
  if (isFinal(state)) return state;
  switch (action.type) {
    case 'invalid':
      return { kind: 'invalid', message: action.message };
    case 'request':
      return state.kind === 'idle' || state.kind === 'error'
        ? { kind: 'requesting', regenerating: action.regenerating }
        : state;
    case 'view':
      return state.kind === 'idle' || state.kind === 'invalid' || state.kind === 'error'
        ? state
        : fromView(state, action.view);
    case 'retrying':
      return state.kind === 'requesting' || state.kind === 'pending' || state.kind === 'expiring'
        ? { ...state, outage: action.error }
        : state;
    case 'offline':
      return state.kind === 'pending' || state.kind === 'expiring' ? { ...state, offline: action.offline } : state;
    case 'deadline':
      if (state.kind === 'pending') return expiring(state.order, action.closing, state.offline, state.outage);
      return state.kind === 'cancelling' ? { ...state, timeUp: true } : state;
    case 'cancel':
      if (state.kind === 'pending')
        return { kind: 'cancelling', order: state.order, request: action.request, timeUp: false };
      return state.kind === 'expiring'
        ? {
            kind: 'cancelling',
            order: state.order,
            request: action.request,
            timeUp: true,
            closing: action.request,
            outage: state.outage,
          }
        : state;
    case 'close':
      return state.kind === 'expiring' || (state.kind === 'cancelling' && state.timeUp)
        ? { ...state, closing: action.request }
        : state;
    case 'cancel-failed':
      if (state.kind !== 'cancelling') return state;
      if (!state.timeUp) return pending(state.order, false, action.error);
      return expiring(state.order, state.closing ?? state.request, false, state.outage);
    case 'error':
      return { kind: 'error', error: action.error };
  }
}
