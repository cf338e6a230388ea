/**
 * The sandbox's book of QR tokens: what Amazon Pay would know about each order (its QR, whether
 * the customer paid, cancels and refunds), and the rules by which it answers.
 */
import { randomInt } from 'node:crypto';
import type { CancelOutcome, CancelReason } from '../../contract/types.js';
import type { AmazonQrStatus } from '../amazon-pay/types.js';
import { AmazonApiError } from './errors.js';

/** A refund the sandbox granted, through a cancel or the Refund API. */
export interface SandboxRefund {
  refundId: string;
  amount: string;
  status: 'Approved';
  amazonRefundId: string;
  /** `cancel`: asked with the cancel's REFUND intent; `refund-api`: through the Refund API. */
  via: 'cancel' | 'refund-api';
  /** The Refund API's words to the customer, as sent. */
  noteToCustomer?: string;
  softDescriptor?: string;
  at: string;
}

/** One order as the sandbox holds it; `GET /sandbox/control/orders/{id}` shows it. */
export interface SandboxOrder {
  orderId: string;
  tokenId: string;
  amount: string;
  storeId: string;
  terminalId?: string;
  qrString: string;
  createdAt: string;
  expiresAt: string;
  /** Amazon's Get-status answer now. */
  status: AmazonQrStatus;
  failed: boolean;
  charge?: { amazonChargeId: string; amount: string; at: string; late: boolean };
  cancel?: {
    outcome: CancelOutcome;
    reason: CancelReason;
    refundRequested: boolean;
    /** The cancel's words to the customer, as sent. */
    noteToCustomer?: string;
    at: string;
  };
  refunds: SandboxRefund[];
  notifications: { sent: number; dropped: number };
}

const digits = (count: number) => Array.from({ length: count }, () => randomInt(10)).join('');
const alphanumeric = (count: number) =>
  Array.from(
    { length: count },
    () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[randomInt(62)],
  ).join('');

/** Two-decimal rupees to paise, exactly. */
export const toPaise = (amount: string) => {
  const [rupees, paise = ''] = amount.split('.');
  return Number(rupees) * 100 + Number(paise.padEnd(2, '0'));
};

/** Every order's QR, charge, cancel and refunds, and the rules that move them. */
export class Ledger {
  private readonly orders = new Map<string, SandboxOrder>();

  constructor(private readonly now: () => number) {}

  private iso() {
    return new Date(this.now()).toISOString();
  }

  /** The order with its status brought up to date (a pending token past its expiry is EXPIRED). */
  get(orderId: string): SandboxOrder | undefined {
    const order = this.orders.get(orderId);
    if (order?.status === 'PENDING' && this.now() > Date.parse(order.expiresAt)) order.status = 'EXPIRED';
    return order;
  }

  all(): SandboxOrder[] {
    return [...this.orders.keys()].map((orderId) => this.get(orderId)!);
  }

  private require(orderId: string): SandboxOrder {
    const order = this.get(orderId);
    if (!order) throw new AmazonApiError(404, 'IdentifierNotFound', `No QR was generated for order ${orderId}.`);
    return order;
  }

  create(
    input: Omit<SandboxOrder, 'tokenId' | 'status' | 'failed' | 'refunds' | 'notifications' | 'createdAt' | 'qrString'>,
    qrString: (tokenId: string) => string,
  ): SandboxOrder {
    if (this.orders.has(input.orderId)) {
      throw new AmazonApiError(409, 'OrderIdAlreadyExists', `A QR already exists for order ${input.orderId}.`);
    }
    const tokenId = `AMZDQR${alphanumeric(29)}`;
    const order: SandboxOrder = {
      ...input,
      tokenId,
      qrString: qrString(tokenId),
      createdAt: this.iso(),
      status: 'PENDING',
      failed: false,
      refunds: [],
      notifications: { sent: 0, dropped: 0 },
    };
    this.orders.set(order.orderId, order);
    return order;
  }

  /**
   * The customer pays. A token already cancelled or expired is still charged: a late payment,
   * which the merchant must refund.
   */
  pay(orderId: string): SandboxOrder {
    const order = this.get(orderId);
    if (!order) throw new AmazonApiError(404, 'IdentifierNotFound', `No QR was generated for order ${orderId}.`);
    if (order.charge) throw new AmazonApiError(409, 'AlreadyPaid', `Order ${orderId} is already paid.`);
    if (order.failed) throw new AmazonApiError(409, 'PaymentFailed', `The payment of order ${orderId} already failed.`);
    const late = order.status !== 'PENDING';
    order.charge = { amazonChargeId: `P04-${digits(7)}-${digits(7)}`, amount: order.amount, at: this.iso(), late };
    order.status = 'SUCCESS';
    return order;
  }

  /** The customer's payment fails (declined by the bank, say). */
  fail(orderId: string): SandboxOrder {
    const order = this.require(orderId);
    if (order.status !== 'PENDING') {
      throw new AmazonApiError(409, 'NotPending', `Order ${orderId} is ${order.status}, not PENDING.`);
    }
    order.failed = true;
    order.status = 'FAILED';
    return order;
  }

  /** Cancel QR: the seed's three outcomes; asking again answers the same without a second refund. */
  cancel(input: { orderId: string; reason: CancelReason; refund: boolean; noteToCustomer?: string }): SandboxOrder {
    const { orderId, reason, refund, noteToCustomer } = input;
    const order = this.require(orderId);
    const at = this.iso();
    if (!order.charge) {
      order.cancel ??= { outcome: 'Approved', reason, refundRequested: refund, noteToCustomer, at };
      if (order.status === 'PENDING' || order.status === 'EXPIRED') order.status = 'TXN_CANCELLED_BEFORE_INITIATE';
      return order;
    }
    if (refund) {
      const left = toPaise(order.charge.amount) - this.refunded(order);
      if (left > 0) {
        this.addRefund(order, {
          refundId: `C${order.tokenId.slice(6)}`,
          amount: (left / 100).toFixed(2),
          via: 'cancel',
        });
      }
      order.status = 'TXN_CANCELLED_AFTER_INITIATE';
    }
    const outcome: CancelOutcome =
      refund || order.cancel?.outcome === 'RefundApplicable' ? 'RefundApplicable' : 'RefundApplicableButNotRequested';
    order.cancel = { outcome, reason, refundRequested: refund, noteToCustomer, at };
    return order;
  }

  /** Refund API: idempotent by refund id, never more than was charged. */
  refund(
    input: Pick<SandboxRefund, 'refundId' | 'amount' | 'noteToCustomer' | 'softDescriptor'> & {
      chargeId: string;
      chargeIdType: string;
    },
  ): SandboxRefund {
    const order =
      input.chargeIdType === 'MerchantTxnId'
        ? this.get(input.chargeId)
        : this.all().find((candidate) => candidate.charge?.amazonChargeId === input.chargeId);
    if (!order?.charge) throw new AmazonApiError(404, 'IdentifierNotFound', `No charge ${input.chargeId} to refund.`);
    const existing = order.refunds.find((refund) => refund.refundId === input.refundId);
    if (existing) return existing;
    if (this.refunded(order) + toPaise(input.amount) > toPaise(order.charge.amount)) {
      throw new AmazonApiError(
        400,
        'InvalidArguments',
        `Refunds of charge ${input.chargeId} would exceed the amount charged.`,
      );
    }
    const { refundId, amount, noteToCustomer, softDescriptor } = input;
    return this.addRefund(order, { refundId, amount, noteToCustomer, softDescriptor, via: 'refund-api' });
  }

  /** Paise already given back on `order`. */
  private refunded(order: SandboxOrder): number {
    return order.refunds.reduce((sum, refund) => sum + toPaise(refund.amount), 0);
  }

  private addRefund(
    order: SandboxOrder,
    refund: Pick<SandboxRefund, 'refundId' | 'amount' | 'via' | 'noteToCustomer' | 'softDescriptor'>,
  ): SandboxRefund {
    const existing = order.refunds.find((candidate) => candidate.via === 'cancel' && refund.via === 'cancel');
    if (existing) return existing;
    const entry: SandboxRefund = {
      ...refund,
      status: 'Approved',
      amazonRefundId: `R04-${digits(7)}-${digits(7)}`,
      at: this.iso(),
    };
    order.refunds.push(entry);
    return entry;
  }
}
