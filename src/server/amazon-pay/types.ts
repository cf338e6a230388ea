/**
 * The Amazon Pay India DQR calls as the backend sees them: what the client sends, and what it
 * returns once the response signature has been verified.
 */
import type { CancelOutcome, CancelReason } from '../../contract/types.js';
import { ServerError } from '../errors.js';

/** Get-status values Amazon documents. Any other value is kept as a string and never read as paid. */
export type AmazonQrStatus =
  | 'SUCCESS'
  | 'FAILED'
  | 'PENDING'
  | 'EXPIRED'
  | 'NO_RECORD_FOUND'
  | 'TXN_CANCELLED_AFTER_INITIATE'
  | 'TXN_CANCELLED_BEFORE_INITIATE'
  | 'TXN_NOT_INITIATED';

/** Which QR payloads Generate QR returns. */
export type DistributionType = 'QR_STRING' | 'QR_IMAGE';

export interface GenerateQrInput {
  orderId: string;
  /** Rupees as a decimal string, sent as is. */
  amount: string;
  /** When the QR stops being payable; sent as `yyyy-MM-dd HH:mm:ss` UTC. */
  expiresAt: Date;
  distributionTypes: DistributionType[];
  /** Overrides the configured store id. */
  storeId?: string;
  terminalId?: string;
}

export interface GenerateQrResult {
  tokenId: string;
  qrString?: string;
  qrImage?: string;
}

export interface StatusResult {
  merchantOrderId: string;
  /** An `AmazonQrStatus`, or whatever else Amazon answered. */
  status: AmazonQrStatus | (string & {});
  amount?: string;
  /** Present when Amazon names the charge. */
  amazonChargeId?: string;
}

export interface CancelInput {
  orderId: string;
  reason: CancelReason;
  /** Adds `REFUND` to `cancelIntent`. */
  refund: boolean;
  /** Default the client's `cancelNote`: Amazon marks the field mandatory. */
  noteToCustomer?: string;
}

export interface CancelQrResult {
  status: CancelOutcome;
  amount?: string;
  amazonChargeId?: string;
}

export interface RefundInput {
  /** The merchant's order the refund is for: named in the call's log line, never sent. */
  orderId?: string;
  /** At most 32 of `[A-Za-z0-9_-]`; the same id twice never refunds twice. */
  refundId: string;
  chargeId: string;
  chargeIdType: 'AmazonTxnId' | 'MerchantTxnId';
  amount: string;
  /** Default the client's `refundNote`: Amazon marks the field mandatory. */
  noteToCustomer?: string;
  /** Default the client's `softDescriptor`: Amazon marks the field mandatory. */
  softDescriptor?: string;
}

export interface RefundResult {
  refundId: string;
  status: 'Approved' | 'Pending' | 'Declined';
  amount?: string;
  amazonRefundId?: string;
}

/** The four signed calls. Every call verifies the response signature before it resolves. */
export interface AmazonPayClient {
  generateQr(input: GenerateQrInput, signal?: AbortSignal): Promise<GenerateQrResult>;
  getStatus(orderId: string, signal?: AbortSignal): Promise<StatusResult>;
  cancel(input: CancelInput, signal?: AbortSignal): Promise<CancelQrResult>;
  refund(input: RefundInput, signal?: AbortSignal): Promise<RefundResult>;
}

/**
 * Why an Amazon Pay call failed. `response`: Amazon answered with an error (its `code` and
 * `message` kept); `network`: no answer; `timeout`: no answer in time; `signature`: an answer whose
 * signature is missing or wrong (never trusted); `malformed`: a signed answer that is not what the
 * API documents.
 */
export type AmazonPayErrorKind = 'response' | 'network' | 'timeout' | 'signature' | 'malformed';

export class AmazonPayError extends ServerError {
  override readonly name: string = 'AmazonPayError';
  /** Amazon's `x-amz-request-id` for the answer, when there was one: what Amazon Pay's support asks for. */
  readonly requestId?: string;
  constructor(
    readonly kind: AmazonPayErrorKind,
    /** Amazon's `code` (such as `InvalidArguments`), or the kind when Amazon did not answer. */
    readonly code: string,
    message: string,
    /** Amazon's HTTP status; 0 when there was no usable answer. */
    readonly status = 0,
    /** Amazon's request id, and the failure underneath (the network error, the timeout). */
    details: { requestId?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    if (details.requestId !== undefined) this.requestId = details.requestId;
  }

  /** Whether the same call may be tried again later (5xx, 429, network, timeout). */
  get retryable(): boolean {
    return this.kind === 'network' || this.kind === 'timeout' || this.status >= 500 || this.status === 429;
  }
}
