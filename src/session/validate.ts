/**
 * Strict checks of everything the backend sends: the element renders a QR and tells a cashier
 * "paid" from these answers, so anything malformed becomes a clear `INVALID_RESPONSE` error rather
 * than a broken QR, a wrong state or markup in the page.
 */
import { AMOUNT_PATTERN, MAX_EXPIRES_IN, checkOrderId } from '../contract/rules.js';
import type {
  CancelOutcome,
  CancelResult,
  ErrorBody,
  LatePaymentView,
  LateRefundStatus,
  OrderStatus,
  OrderView,
} from '../contract/types.js';
import { invalidResponse as invalid } from './errors.js';
import { plainText } from './plain-text.js';

const STATUSES: readonly OrderStatus[] = ['pending', 'paid', 'failed', 'expired', 'cancelled'];
const OUTCOMES: readonly CancelOutcome[] = ['Approved', 'RefundApplicable', 'RefundApplicableButNotRequested'];
const REFUND_STATUSES: readonly LateRefundStatus[] = ['Requested', 'Approved', 'Pending', 'Declined'];
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** The longest UPI URI a QR at level M holds comfortably at kiosk size. */
const MAX_QR_STRING = 1000;
/** Generous for a QR picture, small enough not to hang the page. */
const MAX_QR_IMAGE = 2_000_000;
/** An error's code and message are shown to a cashier and passed to listeners: a few lines at most. */
const MAX_CODE = 64;
const MAX_MESSAGE = 300;
/** How far past the contract's longest QR life an expiry may fall: the backend's own time between reading its clock and answering. */
export const EXPIRY_MARGIN_MS = 60_000;
/**
 * How far the server's clock may be from the page's: skew correction follows a badly set till clock,
 * but a day apart is a broken answer, and would show a countdown of years that never ends.
 */
export const MAX_CLOCK_GAP_MS = 24 * 60 * 60 * 1000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw invalid(`${key} must be a non-empty string`);
  return value;
}

function instant(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  if (typeof value !== 'string' || !ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw invalid(`${key} must be an ISO-8601 instant`);
  }
  return value;
}

/** True for a `upi://pay?` URI of printable characters, short enough to encode. */
export function isUpiPayUri(value: string): boolean {
  return value.startsWith('upi://pay?') && value.length <= MAX_QR_STRING && /^[\x21-\x7e]+$/.test(value);
}

/** True for base64 whose bytes start like a PNG or a JPEG. */
export function isBase64Picture(value: string): boolean {
  if (value.length > MAX_QR_IMAGE || !BASE64.test(value) || value.length < 8) return false;
  const head = atob(value.slice(0, 8));
  const bytes = Array.from(head, (char) => char.charCodeAt(0));
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a];
  const jpeg = [0xff, 0xd8, 0xff];
  return png.every((byte, i) => bytes[i] === byte) || jpeg.every((byte, i) => bytes[i] === byte);
}

/** The MIME type of a picture `isBase64Picture` accepted. */
export function pictureType(value: string): 'image/png' | 'image/jpeg' {
  return value.startsWith('iVBOR') ? 'image/png' : 'image/jpeg';
}

function cancelResult(value: unknown): CancelResult | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw invalid('cancel must be an object');
  if (!OUTCOMES.includes(value.outcome as CancelOutcome)) throw invalid('cancel.outcome is not a known outcome');
  if (typeof value.refund !== 'boolean') throw invalid('cancel.refund must be a boolean');
  return { outcome: value.outcome as CancelOutcome, refund: value.refund };
}

function latePayment(value: unknown): LatePaymentView | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw invalid('latePayment must be an object');
  if (!REFUND_STATUSES.includes(value.refundStatus as LateRefundStatus)) {
    throw invalid('latePayment.refundStatus is not a known refund status');
  }
  const amazonChargeId = optionalString(value, 'amazonChargeId');
  const late: LatePaymentView = { refundStatus: value.refundStatus as LateRefundStatus };
  if (amazonChargeId !== undefined) late.amazonChargeId = amazonChargeId;
  if (value.stuckSince !== undefined) late.stuckSince = instant(value, 'stuckSince');
  return late;
}

/** An expiry no QR of the contract can have, or a server clock too far from the page's, is refused. */
function checkTimes(expiresAt: string, serverTime: string, receivedAt: number): void {
  const server = Date.parse(serverTime);
  if (Math.abs(server - receivedAt) > MAX_CLOCK_GAP_MS) throw invalid('serverTime is more than a day from this clock');
  if (Date.parse(expiresAt) - server > MAX_EXPIRES_IN * 1000 + EXPIRY_MARGIN_MS) {
    throw invalid(`expiresAt is more than ${MAX_EXPIRES_IN} s after serverTime`);
  }
}

/** The order view in a success response, received at `receivedAt` on the page's clock, or `INVALID_RESPONSE`. */
export function parseOrderView(json: unknown, receivedAt = Date.now()): OrderView {
  if (!isRecord(json)) throw invalid('the body is not a JSON object');
  if (typeof json.orderId !== 'string' || checkOrderId(json.orderId)) throw invalid('orderId is missing or malformed');
  if (!STATUSES.includes(json.status as OrderStatus)) throw invalid('status is not a known status');
  if (typeof json.amount !== 'string' || !AMOUNT_PATTERN.test(json.amount))
    throw invalid('amount is missing or malformed');
  if (json.currency !== 'INR') throw invalid('currency must be INR');
  if (json.mode !== 'sandbox' && json.mode !== 'production') throw invalid('mode must be sandbox or production');
  const view: OrderView = {
    orderId: json.orderId,
    mode: json.mode,
    status: json.status as OrderStatus,
    amount: json.amount,
    currency: 'INR',
    expiresAt: instant(json, 'expiresAt'),
    serverTime: instant(json, 'serverTime'),
  };
  checkTimes(view.expiresAt, view.serverTime, receivedAt);
  const qrString = optionalString(json, 'qrString');
  if (qrString !== undefined) {
    if (!isUpiPayUri(qrString)) throw invalid('qrString is not a upi://pay? URI');
    view.qrString = qrString;
  }
  const qrImage = optionalString(json, 'qrImage');
  if (qrImage !== undefined) {
    if (!isBase64Picture(qrImage)) throw invalid('qrImage is not a base64 PNG or JPEG');
    view.qrImage = qrImage;
  }
  if (view.status === 'pending' && !view.qrString && !view.qrImage) throw invalid('a pending order has no QR');
  const amazonChargeId = optionalString(json, 'amazonChargeId');
  if (amazonChargeId !== undefined) view.amazonChargeId = amazonChargeId;
  const cancel = cancelResult(json.cancel);
  if (cancel) view.cancel = cancel;
  const late = latePayment(json.latePayment);
  if (late) view.latePayment = late;
  return view;
}

/** The `{code, message}` of an error response, when it has that shape. */
export function parseErrorBody(json: unknown): ErrorBody | undefined {
  if (!isRecord(json) || typeof json.code !== 'string' || typeof json.message !== 'string') return undefined;
  return { code: plainText(json.code, MAX_CODE), message: plainText(json.message, MAX_MESSAGE) };
}
