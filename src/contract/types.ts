/**
 * The endpoint contract between `<amazonpay-dqr>` and the merchant backend (docs/endpoint-contract.md,
 * docs/openapi.yaml). Shared words only: no code here runs in one place and not the other.
 */

/** Where an order stands. `pending` is the only state that can still change. */
export type OrderStatus = 'pending' | 'paid' | 'failed' | 'expired' | 'cancelled';

/** The states that never change again. */
export const TERMINAL_STATUSES: readonly OrderStatus[] = ['paid', 'failed', 'expired', 'cancelled'];

/**
 * Whose money an order moves: `production` is real Amazon Pay India; `sandbox` is the built-in
 * emulator, where nothing is paid and the element marks the QR as such.
 */
export type Mode = 'sandbox' | 'production';

/** Which QR payloads the element asks for. */
export type QrFormat = 'string' | 'image';

/** Amazon's answer to a cancel, in Amazon's words. */
export type CancelOutcome = 'Approved' | 'RefundApplicable' | 'RefundApplicableButNotRequested';

/** Why a QR is cancelled, in Amazon's words. */
export type CancelReason = 'SESSION_EXPIRED' | 'USER_CANCELLATION' | 'DEVICE_GENERATED_CANCELLATION';

/** `POST {endpoint}/qr` body. */
export interface CreateQrRequest {
  orderId: string;
  /** Rupees as a decimal string, at least `0.01`, at most two decimals. */
  amount: string;
  currency: 'INR';
  /** Seconds from now until the QR expires: 60 to 600. */
  expiresIn: number;
  storeId?: string;
  terminalId?: string;
  /** Payloads wanted; the backend returns at least one of them. Default `['string']`. */
  formats?: QrFormat[];
}

/** `POST {endpoint}/qr/{orderId}/cancel` body. */
export interface CancelRequest {
  reason: CancelReason;
  /** Ask Amazon to refund a payment that was already taken. */
  refund: boolean;
  noteToCustomer?: string;
}

/** What a cancel did, attached to the order view once a cancel was made. */
export interface CancelResult {
  outcome: CancelOutcome;
  /** Whether a refund was asked for. */
  refund: boolean;
}

/** Where the refund of a late payment stands: `Requested` until Amazon answers, then Amazon's word. */
export type LateRefundStatus = 'Requested' | 'Approved' | 'Pending' | 'Declined';

/**
 * A payment that arrived after the order had ended (expired, cancelled or failed). The backend
 * refunds it by itself; the view says so, so that a cashier is told rather than the money lost.
 */
export interface LatePaymentView {
  amazonChargeId?: string;
  refundStatus: LateRefundStatus;
  /**
   * ISO-8601 UTC instant since which the refund request has been failing, present once it has
   * failed for longer than the backend allows (the refund is stuck; the backend keeps trying).
   */
  stuckSince?: string;
}

/** The backend's answer for an order, in every successful response. */
export interface OrderView {
  orderId: string;
  /** Real money or the sandbox's. */
  mode: Mode;
  status: OrderStatus;
  amount: string;
  currency: 'INR';
  /** ISO-8601 UTC instant at which the QR stops being payable. */
  expiresAt: string;
  /** ISO-8601 UTC instant at which the backend wrote this answer (for clock-skew correction). */
  serverTime: string;
  /** `upi://pay?...` URI to encode as a QR. */
  qrString?: string;
  /** Base64 JPEG or PNG of the QR, without a `data:` prefix. */
  qrImage?: string;
  amazonChargeId?: string;
  cancel?: CancelResult;
  /** Present once a payment landed after the order ended; the status stays what it was. */
  latePayment?: LatePaymentView;
}

/** Error codes the backend answers with, beside the HTTP status. */
export type ErrorCode =
  | 'INVALID_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'ORDER_CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'METHOD_NOT_ALLOWED'
  | 'TOO_MANY_PENDING_ORDERS'
  | 'UPSTREAM_ERROR'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'INTERNAL';

/** Body of every error response. */
export interface ErrorBody {
  code: ErrorCode | string;
  /** Human-readable; for 400, one sentence per bad field. */
  message: string;
  /** For 400: the bad fields and what is wrong with each. */
  fields?: Record<string, string>;
}

/** Longest `?wait=` a status request may ask for, in seconds. */
export const MAX_WAIT_SECONDS = 30;
