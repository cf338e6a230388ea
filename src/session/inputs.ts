/**
 * What the host asks a session for: the order, where to ask for it and how. Checked before any
 * request, with the contract's own rules, so bad input gets a sentence and never reaches the backend.
 */
import { checkAmount, checkCurrency, checkExpiresIn, checkOrderId } from '../contract/rules.js';
import type { CreateQrRequest, QrFormat } from '../contract/types.js';

/** Which QR payload to ask for: `auto` asks for both and draws the string itself. */
export type DqrFormat = 'auto' | QrFormat;

/** One order as the host describes it. */
export interface OrderInputs {
  /** Base URL of the merchant backend's contract endpoints. */
  endpoint: string;
  /** Merged into every call (headers such as authentication, credentials). */
  requestInit?: RequestInit;
  orderId: string;
  amount: string;
  currency: string;
  expiresIn: number;
  storeId?: string;
  terminalId?: string;
  format: DqrFormat;
  /** At the deadline, only check the status (until the backend answers), never cancel upstream. */
  noAutoCancel?: boolean;
}

/** The inputs that make an order what it is; the others (`requestInit`, `noAutoCancel`) only say how to run it. */
const TERMS = ['endpoint', 'orderId', 'amount', 'currency', 'expiresIn', 'storeId', 'terminalId', 'format'] as const;

/** Whether `a` and `b` describe the same order. */
export function sameOrder(a: OrderInputs, b: OrderInputs): boolean {
  return TERMS.every((name) => a[name] === b[name]);
}

/** What is wrong with `inputs`, as one sentence, or `undefined`. */
export function checkInputs(inputs: OrderInputs): string | undefined {
  if (!inputs.endpoint) return 'endpoint is required.';
  if (inputs.format !== 'auto' && inputs.format !== 'string' && inputs.format !== 'image') {
    return 'format must be "auto", "string" or "image".';
  }
  return (
    checkOrderId(inputs.orderId) ??
    checkAmount(inputs.amount) ??
    checkCurrency(inputs.currency) ??
    checkExpiresIn(inputs.expiresIn)
  );
}

/** The `POST /qr` body for inputs that `checkInputs` accepted. */
export function createRequest(inputs: OrderInputs): CreateQrRequest {
  return {
    orderId: inputs.orderId,
    amount: inputs.amount,
    currency: 'INR',
    expiresIn: inputs.expiresIn,
    ...(inputs.storeId ? { storeId: inputs.storeId } : {}),
    ...(inputs.terminalId ? { terminalId: inputs.terminalId } : {}),
    formats: inputs.format === 'auto' ? ['string', 'image'] : [inputs.format],
  };
}
