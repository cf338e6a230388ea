/**
 * Refunds for payments that land after an order is over (cancelled, expired or failed): the
 * customer's money goes back at once, under a refund id derived from the order id so that any
 * retry, here or on another instance, can never refund twice.
 */
import { createHash } from 'node:crypto';
import type { AmazonPayClient } from '../amazon-pay/types.js';
import type { Timers } from './timers.js';
import type { LatePayment, OrderRecord, OrderStore } from './store.js';

/** Retry delays of a failed refund call, in milliseconds: about 3.5 minutes in all. */
export const DEFAULT_REFUND_RETRY_DELAYS_MS = [1_000, 5_000, 15_000, 60_000, 120_000];

/** `LP` + 30 characters of the order id's SHA-256: 32 of `[A-Za-z0-9_-]`, as Amazon requires. */
export function lateRefundId(orderId: string): string {
  return `LP${createHash('sha256').update(orderId).digest('base64url').slice(0, 30)}`;
}

/** The late payment to record on an order that Amazon says was paid after it ended. */
export function newLatePayment(orderId: string, amazonChargeId: string | undefined): LatePayment {
  return { amazonChargeId, refundId: lateRefundId(orderId), refundStatus: 'Requested', attempts: 0 };
}

interface LateRefundOptions {
  client: AmazonPayClient;
  store: OrderStore;
  timers: Timers;
  retryDelaysMs: number[];
  onError: (error: unknown, context: string) => void;
}

/** Asks Amazon for the refund of a recorded late payment, retrying on failure. */
export function createLateRefunder(options: LateRefundOptions): (record: OrderRecord) => void {
  const { client, store, timers, retryDelaysMs, onError } = options;

  async function attempt(record: OrderRecord, late: LatePayment) {
    try {
      const result = await client.refund({
        refundId: late.refundId,
        chargeId: late.amazonChargeId ?? record.orderId,
        chargeIdType: late.amazonChargeId ? 'AmazonTxnId' : 'MerchantTxnId',
        amount: record.amount,
      });
      await recordAttempt(record.orderId, { refundStatus: result.status, lastError: undefined });
    } catch (error) {
      const written = await recordAttempt(record.orderId, { lastError: String(error) });
      const delay = retryDelaysMs[(written?.latePayment?.attempts ?? Infinity) - 1];
      if (delay === undefined) onError(error, `refund ${late.refundId} of late payment on order ${record.orderId}`);
      else timers.after(delay, () => run(record, late));
    }
  }

  function run(record: OrderRecord, late: LatePayment) {
    attempt(record, late).catch((error: unknown) => onError(error, `recording refund ${late.refundId}`));
  }

  function recordAttempt(orderId: string, change: Partial<LatePayment>) {
    return store.update(orderId, (current) =>
      current.latePayment
        ? { ...current, latePayment: { ...current.latePayment, ...change, attempts: current.latePayment.attempts + 1 } }
        : undefined,
    );
  }

  return (record) => {
    if (record.latePayment) run(record, record.latePayment);
  };
}
