/**
 * The input rules of Amazon Pay's Generate QR API (seed page), shared by the element (checked
 * before any request) and the backend (checked before Amazon sees anything). Each rule returns a
 * sentence saying what is wrong, or `undefined` when the value is fine.
 */

export const ORDER_ID_PATTERN = /^[A-Za-z0-9_-]{1,35}$/;
export const AMOUNT_PATTERN = /^(0|[1-9]\d{0,9})(\.\d{1,2})?$/;
export const MIN_EXPIRES_IN = 60;
export const MAX_EXPIRES_IN = 600;
export const DEFAULT_EXPIRES_IN = 300;

export function checkOrderId(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'orderId is required.';
  if (!ORDER_ID_PATTERN.test(value)) {
    return 'orderId must be 1 to 35 characters of A-Z, a-z, 0-9, "-" or "_".';
  }
  return undefined;
}

export function checkAmount(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'amount is required, as a decimal string such as "249.00".';
  if (!AMOUNT_PATTERN.test(value)) {
    return 'amount must be rupees as a decimal string with at most two decimals, such as "249.00".';
  }
  if (Number(value) < 0.01) return 'amount must be at least 0.01.';
  return undefined;
}

export function checkCurrency(value: unknown): string | undefined {
  return value === 'INR' ? undefined : 'currency must be "INR".';
}

export function checkExpiresIn(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_EXPIRES_IN || value > MAX_EXPIRES_IN) {
    return `expiresIn must be a whole number of seconds from ${MIN_EXPIRES_IN} to ${MAX_EXPIRES_IN}.`;
  }
  return undefined;
}
