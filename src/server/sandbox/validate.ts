/**
 * Amazon Pay's input rules for each DQR call, as the seed pages state them, answered in Amazon's
 * words (`400 InvalidArguments` naming the field).
 */
import { AMOUNT_PATTERN, MAX_EXPIRES_IN, MIN_EXPIRES_IN, ORDER_ID_PATTERN } from '../../contract/rules.js';
import { AmazonApiError } from './errors.js';

type Body = Record<string, unknown>;

const invalid = (message: string) => new AmazonApiError(400, 'InvalidArguments', message);
/** Seconds of clock difference and transit the sandbox forgives on an expiry. */
const EXPIRY_SLACK = 5;

function allowOnly(body: Body, fields: readonly string[]) {
  const unknown = Object.keys(body).filter((name) => !fields.includes(name));
  if (unknown.length) throw invalid(`Unsupported parameter(s): ${unknown.join(', ')}.`);
}

function text(body: Body, name: string, { optional = false, pattern }: { optional?: boolean; pattern?: RegExp } = {}) {
  const value = body[name];
  if (value === undefined || value === null || value === '') {
    if (optional) return undefined;
    throw invalid(`${name} field is mandatory, cannot be null or blank`);
  }
  if (typeof value !== 'string') throw invalid(`${name} must be a string.`);
  if (pattern && !pattern.test(value)) throw invalid(`${name} has an invalid value.`);
  return value;
}

function amount(body: Body, name: string) {
  const value = text(body, name)!;
  if (!AMOUNT_PATTERN.test(value) || Number(value) < 0.01) {
    throw invalid(`${name} must be at least 0.01 with at most two decimals.`);
  }
  return value;
}

function oneOf<T extends string>(body: Body, name: string, allowed: readonly T[]): T {
  const value = text(body, name)!;
  if (!(allowed as readonly string[]).includes(value)) throw invalid(`${name} must be one of ${allowed.join(', ')}.`);
  return value as T;
}

function list<T extends string>(body: Body, name: string, allowed: readonly T[]): T[] {
  const value = body[name];
  if (!Array.isArray(value) || value.length === 0) throw invalid(`${name} field is mandatory, cannot be null or blank`);
  for (const item of value) {
    if (!(allowed as readonly string[]).includes(item)) throw invalid(`${name} must hold only ${allowed.join(', ')}.`);
  }
  return value as T[];
}

/** A Generate QR body checked against the seed's rules; the expiry must be 60 to 600 s from `now`. */
export function parseGenerateQr(body: Body, now: number) {
  allowOnly(body, [
    'merchantId',
    'expiryTimestamp',
    'amount',
    'currency',
    'orderId',
    'clientId',
    'qrMedium',
    'distributionType',
    'storeId',
    'storeIdType',
    'terminalId',
  ]);
  const expiry = text(body, 'expiryTimestamp', { pattern: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/ })!;
  const expiresAt = Date.parse(`${expiry.replace(' ', 'T')}Z`);
  const seconds = (expiresAt - now) / 1000;
  if (Number.isNaN(expiresAt) || seconds < MIN_EXPIRES_IN - EXPIRY_SLACK || seconds > MAX_EXPIRES_IN + EXPIRY_SLACK) {
    throw invalid(`expiryTimestamp must be ${MIN_EXPIRES_IN} to ${MAX_EXPIRES_IN} seconds from now.`);
  }
  oneOf(body, 'currency', ['INR']);
  oneOf(body, 'clientId', ['04']);
  oneOf(body, 'qrMedium', ['01', '02', '03', '04']);
  return {
    orderId: text(body, 'orderId', { pattern: ORDER_ID_PATTERN })!,
    amount: amount(body, 'amount'),
    expiresAt: new Date(expiresAt).toISOString(),
    distributionTypes: list(body, 'distributionType', ['QR_STRING', 'QR_IMAGE', 'PAY_LINK']),
    storeId: text(body, 'storeId')!,
    storeIdType: oneOf(body, 'storeIdType', ['AMAZON_STORE_ID', 'MERCHANT_STORE_ID', 'PARTNER_STORE_ID']),
    terminalId: text(body, 'terminalId', { optional: true }),
  };
}

/** A Cancel QR body checked against the seed's rules. */
export function parseCancel(body: Body) {
  allowOnly(body, ['cancelIntent', 'cancellationReason', 'chargeId', 'chargeIdType', 'merchantId', 'noteToCustomer']);
  const intent = list(body, 'cancelIntent', ['CANCEL_TOKEN', 'REFUND']);
  if (!intent.includes('CANCEL_TOKEN')) throw invalid('cancelIntent must include CANCEL_TOKEN.');
  oneOf(body, 'chargeIdType', ['MerchantTxnId']);
  text(body, 'noteToCustomer', { optional: true });
  return {
    orderId: text(body, 'chargeId', { pattern: ORDER_ID_PATTERN })!,
    reason: oneOf(body, 'cancellationReason', [
      'SESSION_EXPIRED',
      'USER_CANCELLATION',
      'DEVICE_GENERATED_CANCELLATION',
    ]),
    refund: intent.includes('REFUND'),
  };
}

/** A Refund body checked against the facts page's rules. */
export function parseRefund(body: Body) {
  allowOnly(body, [
    'merchantId',
    'amount',
    'currencyCode',
    'refundId',
    'chargeIdType',
    'chargeId',
    'noteToCustomer',
    'softDescriptor',
  ]);
  oneOf(body, 'currencyCode', ['INR']);
  text(body, 'noteToCustomer', { optional: true });
  text(body, 'softDescriptor', { optional: true });
  return {
    amount: amount(body, 'amount'),
    refundId: text(body, 'refundId', { pattern: /^[A-Za-z0-9_-]{1,32}$/ })!,
    chargeIdType: oneOf(body, 'chargeIdType', ['AmazonTxnId', 'MerchantTxnId']),
    chargeId: text(body, 'chargeId')!,
  };
}
