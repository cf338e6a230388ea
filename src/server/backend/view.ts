/** The order view: what every successful contract answer carries. */
import type { Mode, OrderView } from '../../contract/types.js';
import type { OrderRecord } from './store.js';

/**
 * The view of a stored order at `now`, in the backend's `mode`. The QR payloads go out only while
 * the order is pending: a QR for an order that is over must not be shown, let alone scanned.
 */
export function toOrderView(record: OrderRecord, now: number, mode: Mode): OrderView {
  const view: OrderView = {
    orderId: record.orderId,
    mode,
    status: record.status,
    amount: record.amount,
    currency: record.currency,
    expiresAt: new Date(record.expiresAt).toISOString(),
    serverTime: new Date(now).toISOString(),
  };
  if (record.status === 'pending') {
    if (record.qrString !== undefined) view.qrString = record.qrString;
    if (record.qrImage !== undefined) view.qrImage = record.qrImage;
  }
  if (record.amazonChargeId !== undefined) view.amazonChargeId = record.amazonChargeId;
  if (record.cancel) view.cancel = record.cancel;
  if (record.latePayment) {
    const { amazonChargeId, refundStatus, stuckSince } = record.latePayment;
    view.latePayment = { refundStatus };
    if (amazonChargeId !== undefined) view.latePayment.amazonChargeId = amazonChargeId;
    if (stuckSince !== undefined) view.latePayment.stuckSince = new Date(stuckSince).toISOString();
  }
  return view;
}
