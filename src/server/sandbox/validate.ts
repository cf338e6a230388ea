/**
 * Amazon Pay's input rules for each DQR call, as the seed pages state them, answered in Amazon's
 * words (`400 InvalidArguments` naming the field).
 */
import { AMOUNT_PATTERN, MAX_EXPIRES_IN, MIN_EXPIRES_IN, ORDER_ID_PATTERN } from '../../contract/rules.js';
import { EXPIRY_FIELDS, type ExpiryField } from '../amazon-pay/compatibility.js';
import { AmazonApiError } from './errors.js';

type Body = Record<string, unknown>;

const invalid = (message: string) => new AmazonApiError(400, 'InvalidArguments', message);
/** Seconds of clock difference and transit the sandbox forgives on an expiry. */
const EXPIRY_SLACK = 5;

function allowOnly(body: Body, fields: readonly string[]) {
  const unknown = Object.keys(body).filter((name) => !fields.includes(name));
  if (unknown.length) throw invalid(`Unsupported parameter(s): ${unknown.join(', ')}.`);
}

function text(
  body: Body,
  name: string,
  { optional = false, pattern, maxLength }: { optional?: boolean; pattern?: RegExp; maxLength?: number } = {},
) {
  const value = body[name];
  if (value === undefined || value === null || value === '') {
    if (optional) return undefined;
    throw invalid(`${name} field is mandatory, cannot be null or blank`);
  }
  if (typeof value !== 'string') throw invalid(`${name} must be a string.`);
  if (pattern && !pattern.test(value)) throw invalid(`${name} has an invalid value.`);
  if (maxLength !== undefined && [...value].length > maxLength)
    throw invalid(`${name} is over ${maxLength} characters.`);
  return value;
}

/**
 * The expiry field's name: the required spelling, whose absence gets Amazon's own words (leading
 * space included), or without one whichever of the two spellings the body has.
 */
function expiryFieldOf(body: Body, required: ExpiryField | undefined): ExpiryField {
  if (required) {
    if (body[required] === undefined || body[required] === null || body[required] === '') {
      throw invalid(` ${required} field is mandatory, cannot be null or blank`);
    }
    return required;
  }
  const present = EXPIRY_FIELDS.filter((name) => body[name] !== undefined);
  if (present.length > 1) throw invalid(`Send one of ${EXPIRY_FIELDS.join(', ')}, not both.`);
  return present[0] ?? 'expiryTimeStamp';
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

/**
 * A Generate QR body checked against the seed's rules; the expiry must be 60 to 600 s from `now`,
 * in `expiryField` when given, else in either spelling.
 */
export function parseGenerateQr(body: Body, now: number, expiryField?: ExpiryField) {
  const field = expiryFieldOf(body, expiryField);
  allowOnly(body, [
    'merchantId',
    field,
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
  const expiry = text(body, field, { pattern: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/ })!;
  const expiresAt = Date.parse(`${expiry.replace(' ', 'T')}Z`);
  const seconds = (expiresAt - now) / 1000;
  if (Number.isNaN(expiresAt) || seconds < MIN_EXPIRES_IN - EXPIRY_SLACK || seconds > MAX_EXPIRES_IN + EXPIRY_SLACK) {
    throw invalid(`${field} must be ${MIN_EXPIRES_IN} to ${MAX_EXPIRES_IN} seconds from now.`);
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

/** A Cancel QR body checked against the seed's rules; `requireNote` as ap-pos marks the note. */
export function parseCancel(body: Body, requireNote = false) {
  allowOnly(body, ['cancelIntent', 'cancellationReason', 'chargeId', 'chargeIdType', 'merchantId', 'noteToCustomer']);
  const intent = list(body, 'cancelIntent', ['CANCEL_TOKEN', 'REFUND']);
  if (!intent.includes('CANCEL_TOKEN')) throw invalid('cancelIntent must include CANCEL_TOKEN.');
  oneOf(body, 'chargeIdType', ['MerchantTxnId']);
  return {
    noteToCustomer: text(body, 'noteToCustomer', { optional: !requireNote }),
    orderId: text(body, 'chargeId', { pattern: ORDER_ID_PATTERN })!,
    reason: oneOf(body, 'cancellationReason', [
      'SESSION_EXPIRED',
      'USER_CANCELLATION',
      'DEVICE_GENERATED_CANCELLATION',
    ]),
    refund: intent.includes('REFUND'),
  };
}

/** A Refund body checked against Amazon's refund pages; `requireNotes` as ap-pos marks the notes. */
export function parseRefund(body: Body, requireNotes = false) {
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
  return {
    noteToCustomer: text(body, 'noteToCustomer', { optional: !requireNotes, maxLength: 200 }),
    softDescriptor: text(body, 'softDescriptor', { optional: !requireNotes, maxLength: 200 }),
    amount: amount(body, 'amount'),
    refundId: text(body, 'refundId', { pattern: /^[A-Za-z0-9_-]{1,32}$/ })!,
    chargeIdType: oneOf(body, 'chargeIdType', ['AmazonTxnId', 'MerchantTxnId']),
    chargeId: text(body, 'chargeId')!,
  };
}
