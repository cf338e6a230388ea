/**
 * Refunds for payments that land after an order is over (cancelled, expired or failed), and for
 * payments on orders this backend has no record of: the customer's money goes back, under a refund
 * id derived from the order id so that any repeat, here or on another instance, after a crash or
 * an outage, can never refund twice.
 */
import { createHash } from 'node:crypto';
import type { AmazonPayClient, StatusResult } from '../amazon-pay/types.js';
import { OrderExistsError, type LatePayment, type OrderRecord, type OrderStore } from './store.js';
import type { JobRunner } from './worker.js';

/** `LP` + 30 characters of the order id's SHA-256: 32 of `[A-Za-z0-9_-]`, as Amazon requires. */
export function lateRefundId(orderId: string): string {
  return `LP${createHash('sha256').update(orderId).digest('base64url').slice(0, 30)}`;
}

/** The late payment to record on an order that Amazon says was paid after it ended. */
export function newLatePayment(orderId: string, amazonChargeId: string | undefined): LatePayment {
  return { amazonChargeId, refundId: lateRefundId(orderId), refundStatus: 'Requested' };
}

/** The `refund` job: asks Amazon to refund the recorded late payment and records its answer. */
export function refundRunner(client: AmazonPayClient): JobRunner {
  return async (record) => {
    const late = record.latePayment;
    if (!late || late.refundStatus !== 'Requested') return (current) => current;
    const result = await client.refund({
      orderId: record.orderId,
      refundId: late.refundId,
      chargeId: late.amazonChargeId ?? record.orderId,
      chargeIdType: late.amazonChargeId ? 'AmazonTxnId' : 'MerchantTxnId',
      amount: record.amount,
    });
    return (current) => {
      if (!current.latePayment) return current;
      const { stuckSince: _, ...latePayment } = current.latePayment;
      return { ...current, latePayment: { ...latePayment, refundStatus: result.status } };
    };
  };
}

/**
 * A charge Amazon reports on an order this backend has no record of (a store that lost it, or an
 * order made elsewhere under this merchant id) becomes an ended order with a late payment, so that
 * it is refunded like any other. Answers the record, or `undefined` when Amazon says nothing was
 * charged.
 */
export async function recordUnknownPayment(
  store: OrderStore,
  status: StatusResult,
  now: number,
  notifiedAmount: string | undefined,
): Promise<OrderRecord | undefined> {
  if (status.status !== 'SUCCESS') return undefined;
  const amount = status.amount ?? notifiedAmount;
  if (amount === undefined || !(Number(amount) > 0)) {
    throw new Error(`Amazon reports a charge on unknown order ${status.merchantOrderId} without its amount.`);
  }
  const orderId = status.merchantOrderId;
  try {
    return await store.create({
      orderId,
      amount: Number(amount).toFixed(2),
      currency: 'INR',
      expiresIn: 60,
      formats: ['string'],
      status: 'expired',
      expiresAt: now,
      tokenId: '',
      amazonChargeId: status.amazonChargeId,
      latePayment: newLatePayment(orderId, status.amazonChargeId),
      recordedFrom: 'notification',
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
  } catch (error) {
    // Another delivery of the same notification recorded it first.
    if (error instanceof OrderExistsError) return store.get(orderId);
    throw error;
  }
}
