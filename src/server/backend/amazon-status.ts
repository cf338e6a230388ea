/** How Amazon's Get-status words translate into the contract's order status. */
import type { OrderStatus } from '../../contract/types.js';
import { TERMINAL_STATUSES } from '../../contract/types.js';
import type { StatusResult } from '../amazon-pay/types.js';
import type { OrderRecord } from './store.js';

/**
 * Amazon's status as an order status. Only `SUCCESS` is paid; `PENDING`, `TXN_NOT_INITIATED`,
 * `NO_RECORD_FOUND` and any word Amazon may add later leave the order pending.
 */
export function toOrderStatus(status: StatusResult['status']): OrderStatus {
  switch (status) {
    case 'SUCCESS':
      return 'paid';
    case 'FAILED':
      return 'failed';
    case 'EXPIRED':
      return 'expired';
    case 'TXN_CANCELLED_AFTER_INITIATE':
    case 'TXN_CANCELLED_BEFORE_INITIATE':
      return 'cancelled';
    default:
      return 'pending';
  }
}

/** Whether an order can still change status. */
export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/**
 * Whether a cancel was sent to Amazon (or is about to be) whose answer is not recorded yet. Until
 * it is, a `SUCCESS` does not make the order paid, nor a late payment to refund: the cancel may be
 * refunding that very payment, and its answer decides.
 */
export function isCancelling(record: OrderRecord): boolean {
  return record.jobs?.cancel !== undefined;
}

/**
 * Whether a `SUCCESS` for this order is a payment nobody has dealt with yet: the order ended
 * without being paid, and no cancel found (and refunded or deliberately kept) the charge or may
 * still be doing so.
 */
export function isUnhandledLatePayment(record: OrderRecord): boolean {
  if (record.status === 'pending' || record.status === 'paid' || record.latePayment || isCancelling(record)) {
    return false;
  }
  return !record.cancel || record.cancel.outcome === 'Approved';
}
