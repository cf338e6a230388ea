/**
 * Every input checked before Amazon Pay sees it, one sentence per bad field. The rules the element
 * shares live in src/contract/rules.ts; the ones only the backend enforces are here.
 */
import { checkAmount, checkCurrency, checkExpiresIn, checkOrderId } from '../../contract/rules.js';
import type { CancelReason, CancelRequest, QrFormat } from '../../contract/types.js';
import { MAX_WAIT_SECONDS } from '../../contract/types.js';
import { invalidRequest } from './errors.js';
import type { OrderOwner } from './access.js';
import type { OrderTerms } from './store.js';

/** A `POST /qr` body once checked, with `formats` defaulted, and the terminal the order is bound to. */
export type CreateOrderInput = OrderTerms & { owner?: OrderOwner };

/** Store and terminal ids: 1 to 64 of `A-Z a-z 0-9 - _`. */
export const SHORT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const NOTE_PATTERN = /^[^\p{C}]{1,100}$/u;
const WAIT_PATTERN = /^\d{1,2}$/;
const FORMATS: readonly QrFormat[] = ['string', 'image'];
const REASONS: readonly CancelReason[] = ['SESSION_EXPIRED', 'USER_CANCELLATION', 'DEVICE_GENERATED_CANCELLATION'];

type Rule = (value: unknown) => string | undefined;

function optional(rule: Rule): Rule {
  return (value) => (value === undefined ? undefined : rule(value));
}

function checkId(name: string): Rule {
  return (value) =>
    typeof value === 'string' && SHORT_ID_PATTERN.test(value)
      ? undefined
      : `${name} must be 1 to 64 characters of A-Z, a-z, 0-9, "-" or "_".`;
}

function checkFormats(value: unknown): string | undefined {
  const valid =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((format) => FORMATS.includes(format as QrFormat)) &&
    new Set(value).size === value.length;
  return valid ? undefined : 'formats must be a non-empty list of distinct values from "string" and "image".';
}

function checkReason(value: unknown): string | undefined {
  return REASONS.includes(value as CancelReason) ? undefined : `reason must be one of ${REASONS.join(', ')}.`;
}

function checkRefund(value: unknown): string | undefined {
  return typeof value === 'boolean' ? undefined : 'refund must be true or false.';
}

function checkNote(value: unknown): string | undefined {
  return typeof value === 'string' && NOTE_PATTERN.test(value) && [...value].length <= 100
    ? undefined
    : 'noteToCustomer must be 1 to 100 printable characters.';
}

/** Runs each field's rule and refuses fields the contract does not have, naming them. */
function checkObject<T>(body: unknown, rules: Record<string, Rule>): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest({ body: 'The request body must be a JSON object.' });
  }
  // No prototype: a field named `__proto__` must be reported like any other unknown field.
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, rule] of Object.entries(rules)) {
    const problem = rule((body as Record<string, unknown>)[name]);
    if (problem) fields[name] = problem;
  }
  for (const name of Object.keys(body)) {
    if (!Object.hasOwn(rules, name)) fields[name] = `${name} is not a field of this request.`;
  }
  if (Object.keys(fields).length > 0) throw invalidRequest(fields);
  return body as T;
}

/** Checks a `POST /qr` body; throws a 400 `HttpError` naming every bad field. */
export function parseCreateRequest(body: unknown): CreateOrderInput {
  const input = checkObject<Omit<CreateOrderInput, 'formats'> & { formats?: QrFormat[] }>(body, {
    orderId: checkOrderId,
    amount: checkAmount,
    currency: checkCurrency,
    expiresIn: checkExpiresIn,
    storeId: optional(checkId('storeId')),
    terminalId: optional(checkId('terminalId')),
    formats: optional(checkFormats),
  });
  return { ...input, formats: input.formats ?? ['string'] };
}

/** Checks a `POST /qr/{orderId}/cancel` body; throws a 400 `HttpError` naming every bad field. */
export function parseCancelRequest(body: unknown): CancelRequest {
  return checkObject<CancelRequest>(body, {
    reason: checkReason,
    refund: checkRefund,
    noteToCustomer: optional(checkNote),
  });
}

/** Checks the order id of a path (already percent-decoded). */
export function parseOrderId(value: string): string {
  const problem = checkOrderId(value);
  if (problem) throw invalidRequest({ orderId: problem });
  return value;
}

/** Checks `?wait=`: absent is 0, otherwise a whole number of seconds up to `MAX_WAIT_SECONDS`. */
export function parseWait(value: string | null): number {
  if (value === null) return 0;
  const seconds = WAIT_PATTERN.test(value) ? Number(value) : NaN;
  if (!(seconds <= MAX_WAIT_SECONDS)) {
    throw invalidRequest({ wait: `wait must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}.` });
  }
  return seconds;
}
