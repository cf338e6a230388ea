/**
 * Who may do what with an order. A caller is the terminal a request comes from, as its token (or
 * the merchant's `authorize` hook) tells; every order is bound to the terminal and store that
 * created it, and another terminal can neither read nor cancel it. Refusals are 403s, decided
 * before anything is stored or sent to Amazon.
 */
import type { CancelRequest } from '../../contract/types.js';
import { HttpError } from './errors.js';
import type { OrderRecord } from './store.js';
import { SHORT_ID_PATTERN, type CreateOrderInput } from './validation.js';

/**
 * What a terminal may do beyond creating its own orders and reading and cancelling them with a
 * refund. None by default.
 * - `cancel-without-refund`: cancel with `refund: false` (the customer's money stays taken).
 * - `store-orders`: read and cancel the orders of every terminal of its own store.
 */
export type Permission = 'cancel-without-refund' | 'store-orders';

/** Every permission there is. */
export const PERMISSIONS: readonly Permission[] = ['cancel-without-refund', 'store-orders'];

/** Who is calling: a terminal, the store it belongs to and what else it may do. */
export interface Caller {
  terminalId: string;
  storeId?: string;
  permissions?: readonly Permission[];
}

/** The terminal (and store) an order is bound to: the caller that created it. */
export interface OrderOwner {
  terminalId: string;
  storeId?: string;
}

function forbidden(message: string) {
  return new HttpError(403, 'FORBIDDEN', message);
}

/** The owner an order created by `caller` is bound to. */
export function ownerOf(caller: Caller): OrderOwner {
  return caller.storeId === undefined
    ? { terminalId: caller.terminalId }
    : { terminalId: caller.terminalId, storeId: caller.storeId };
}

/** `value` as a `Caller`, or a `TypeError` naming what is wrong (an `authorize` hook's mistake). */
export function checkCaller(value: unknown): Caller {
  const caller = value as Caller;
  const id = (name: string, text: unknown) => {
    if (typeof text !== 'string' || !SHORT_ID_PATTERN.test(text)) {
      throw new TypeError(`authorize returned a caller whose ${name} is not 1 to 64 of A-Z a-z 0-9 - _.`);
    }
  };
  if (typeof value !== 'object' || value === null)
    throw new TypeError('authorize returned a caller that is not an object.');
  id('terminalId', caller.terminalId);
  if (caller.storeId !== undefined) id('storeId', caller.storeId);
  const permissions = caller.permissions ?? [];
  if (!Array.isArray(permissions) || !permissions.every((permission) => PERMISSIONS.includes(permission))) {
    throw new TypeError(`authorize returned permissions other than ${PERMISSIONS.join(', ')}.`);
  }
  return caller;
}

/** A terminal creates orders for itself only: a `terminalId` or `storeId` in the body must be its own. */
export function checkCreate(caller: Caller, input: CreateOrderInput): void {
  if (input.terminalId !== undefined && input.terminalId !== caller.terminalId) {
    throw forbidden(`This terminal is ${caller.terminalId}, not ${input.terminalId}.`);
  }
  if (caller.storeId !== undefined && input.storeId !== undefined && input.storeId !== caller.storeId) {
    throw forbidden(`This terminal belongs to store ${caller.storeId}, not ${input.storeId}.`);
  }
}

/**
 * Whether `caller` may read, resume or cancel `record`: its own terminal may, and a caller with
 * `store-orders` of the same store. An order created without a known caller is anyone's who passes
 * authentication.
 */
export function checkAccess(caller: Caller, record: OrderRecord): void {
  const { owner } = record;
  if (!owner || owner.terminalId === caller.terminalId) return;
  const sameStore = owner.storeId !== undefined && owner.storeId === caller.storeId;
  if (sameStore && caller.permissions?.includes('store-orders')) return;
  throw forbidden(`Order ${record.orderId} belongs to another terminal.`);
}

/** A cancel that leaves the customer's money taken needs `cancel-without-refund`. */
export function checkCancel(caller: Caller, request: CancelRequest): void {
  if (!request.refund && !caller.permissions?.includes('cancel-without-refund')) {
    throw forbidden('This terminal may only cancel with refund: true.');
  }
}
