/**
 * Reads the few fields of a UPI payment URI the element shows beside the QR. Values are plain
 * text: they are only ever rendered through Lit text bindings, never as markup.
 */
import { plainText } from '../session/plain-text.js';

/** The fields of `upi://pay?pa=…&pn=…&am=…` the element uses. */
export interface UpiPayment {
  /** Payee name (`pn`). */
  payee?: string;
  /** Payee address, the VPA (`pa`). */
  address?: string;
  /** Amount in rupees (`am`). */
  amount?: string;
}

/** Longer than any real payee name or VPA; enough to tell two apart. */
const MAX_FIELD = 100;

function param(params: URLSearchParams, name: string): string | undefined {
  const value = plainText(params.get(name) ?? '', MAX_FIELD);
  return value ? value : undefined;
}

/** The payee and amount in a UPI URI; absent fields stay undefined. */
export function parseUpi(uri: string): UpiPayment {
  const query = uri.indexOf('?');
  const params = new URLSearchParams(query < 0 ? '' : uri.slice(query + 1));
  return { payee: param(params, 'pn'), address: param(params, 'pa'), amount: param(params, 'am') };
}
