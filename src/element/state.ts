/**
 * The element's one state value and its pure transitions: no DOM, timers or fetch here, so every
 * rule about which state may follow which is testable as plain functions.
 */
import type { CancelReason, OrderView } from '../contract/types.js';
import type { ContractError } from './client.js';

/** Every state the element can be in; `kind` is reflected as the `status` attribute. */
export type DqrState =
  | { kind: 'idle' }
  | { kind: 'invalid'; message: string }
  | { kind: 'requesting' }
  | { kind: 'pending'; order: OrderView; reconnecting: boolean; offline: boolean }
  /** Past the deadline, QR hidden: asking the backend until it says how the order ended. */
  | { kind: 'expiring'; order: OrderView; reconnecting: boolean; offline: boolean }
  /** `timeUp`: the deadline has passed, so a failed cancel cannot go back to a live QR. */
  | { kind: 'cancelling'; order: OrderView; reason: CancelReason; timeUp: boolean }
  | { kind: 'paid'; order: OrderView }
  | { kind: 'expired'; order: OrderView }
  | { kind: 'cancelled'; order: OrderView; reason?: CancelReason }
  | { kind: 'failed'; order: OrderView }
  | { kind: 'error'; error: ContractError };

/** The value of the `status` attribute. */
export type DqrStatus = DqrState['kind'];

/** What can happen to the element; the element feeds these to `transition`. */
export type DqrEvent =
  /** A new order starts (connected, or `order-id` changed): the only way out of a final state. */
  | { type: 'reset' }
  | { type: 'invalid'; message: string }
  | { type: 'request' }
  /** The backend's answer to any call. */
  | { type: 'view'; view: OrderView }
  | { type: 'connection'; reconnecting?: boolean; offline?: boolean }
  /** The countdown reached zero. */
  | { type: 'deadline' }
  | { type: 'cancel'; reason: CancelReason }
  /** A cancel could not be made: back to the QR before the deadline, back to asking after it. */
  | { type: 'cancel-failed' }
  /** Past the deadline the backend still says pending and there is nothing to cancel (`no-auto-cancel`). */
  | { type: 'expire' }
  | { type: 'error'; error: ContractError }
  /** An answer about the order after it ended (the late-payment grace period). */
  | { type: 'late'; view: OrderView }
  /** A customer display takes over the cashier's state as it is. */
  | { type: 'mirror'; state: DqrState };

/** States no event but `reset` leaves: each fires its event once, and only one of them fires. */
export const FINAL_KINDS: readonly DqrStatus[] = ['paid', 'expired', 'cancelled', 'failed'];

/** True when the order is over, for better (paid) or worse. */
export function isFinal(state: DqrState): boolean {
  return FINAL_KINDS.includes(state.kind);
}

/** The order the state shows, when it has one. */
export function orderOf(state: DqrState): OrderView | undefined {
  return 'order' in state ? state.order : undefined;
}

function expiring(order: OrderView): DqrState {
  return { kind: 'expiring', order, reconnecting: false, offline: false };
}

function fromView(state: DqrState, view: OrderView): DqrState {
  switch (view.status) {
    case 'paid':
      return { kind: 'paid', order: view };
    case 'failed':
      return { kind: 'failed', order: view };
    case 'expired':
      return { kind: 'expired', order: view };
    case 'cancelled':
      if (state.kind === 'cancelling' && state.reason === 'SESSION_EXPIRED') return { kind: 'expired', order: view };
      return { kind: 'cancelled', order: view, reason: state.kind === 'cancelling' ? state.reason : undefined };
    case 'pending':
      // Still payable before the deadline; after it, still undecided: keep asking, QR hidden.
      if (state.kind === 'expiring' || (state.kind === 'cancelling' && state.timeUp)) return expiring(view);
      return { kind: 'pending', order: view, reconnecting: false, offline: false };
    default:
      // An unknown status is never read as paid.
      return state;
  }
}

/**
 * After the order ended: a late payment is added to an expired or cancelled order, and an order
 * that only expired (not cancelled upstream) and turns out paid is paid after all.
 */
function afterEnd(state: DqrState, view: OrderView): DqrState {
  if ((state.kind !== 'expired' && state.kind !== 'cancelled') || view.orderId !== state.order.orderId) return state;
  if (view.status === 'paid' && state.kind === 'expired') return { kind: 'paid', order: view };
  if (!view.latePayment) return state;
  return { ...state, order: { ...state.order, latePayment: view.latePayment } };
}

/** The next state; anything that does not apply to the current state leaves it unchanged. */
export function transition(state: DqrState, event: DqrEvent): DqrState {
  if (event.type === 'reset') return { kind: 'idle' };
  if (event.type === 'mirror') return event.state;
  if (event.type === 'late') return afterEnd(state, event.view);
  if (isFinal(state)) return state;
  switch (event.type) {
    case 'invalid':
      return { kind: 'invalid', message: event.message };
    case 'request':
      return state.kind === 'idle' || state.kind === 'error' ? { kind: 'requesting' } : state;
    case 'view':
      return state.kind === 'idle' || state.kind === 'invalid' || state.kind === 'error'
        ? state
        : fromView(state, event.view);
    case 'connection':
      return state.kind === 'pending' || state.kind === 'expiring'
        ? {
            ...state,
            reconnecting: event.reconnecting ?? state.reconnecting,
            offline: event.offline ?? state.offline,
          }
        : state;
    case 'deadline':
      if (state.kind === 'pending') return expiring(state.order);
      return state.kind === 'cancelling' ? { ...state, timeUp: true } : state;
    case 'cancel':
      return state.kind === 'pending' || state.kind === 'expiring'
        ? { kind: 'cancelling', order: state.order, reason: event.reason, timeUp: state.kind === 'expiring' }
        : state;
    case 'cancel-failed':
      // Without the backend's answer nothing is known: never call the order expired or cancelled.
      if (state.kind !== 'cancelling') return state;
      return state.timeUp
        ? expiring(state.order)
        : { kind: 'pending', order: state.order, reconnecting: false, offline: false };
    case 'expire':
      return state.kind === 'expiring' ? { kind: 'expired', order: state.order } : state;
    case 'error':
      return { kind: 'error', error: event.error };
  }
}
