/**
 * Caps on the orders waiting to be paid, per terminal and in all, so that nobody (a buggy till, a
 * stolen token) can make the backend hold QRs without end. The caps count what the store holds, so
 * they hold across restarts and instances, plus the creates this instance has under way.
 */
import { HttpError } from './errors.js';
import type { OrderStore, PendingCount } from './store.js';

/** How many orders may wait to be paid at once. */
export interface PendingLimits {
  /** In all. */
  maxPending: number;
  /** Per terminal (when the caller is known). */
  maxPendingPerTerminal: number;
}

/** Defaults of `PendingLimits`. */
export const DEFAULT_PENDING_LIMITS: PendingLimits = { maxPending: 2_000, maxPendingPerTerminal: 10 };

/** Lets a create in (resolving with the function to call once it is stored or failed) or refuses it with a 429. */
export type AdmitCreate = (terminalId: string | undefined) => Promise<() => void>;

/** Creates the caps over `store`. */
export function createPendingCap(store: OrderStore, limits: PendingLimits, now: () => number): AdmitCreate {
  const underWay = new Map<string | undefined, number>();
  const add = (key: string | undefined, delta: number) => {
    const next = (underWay.get(key) ?? 0) + delta;
    if (next === 0) underWay.delete(key);
    else underWay.set(key, next);
  };

  function tooMany(message: string, held: PendingCount) {
    const seconds = held.nextExpiresAt === undefined ? 5 : Math.ceil((held.nextExpiresAt - now()) / 1000);
    return new HttpError(429, 'TOO_MANY_PENDING_ORDERS', message, undefined, {
      'retry-after': String(Math.max(1, seconds)),
    });
  }

  return async (terminalId) => {
    // Counted before the store is asked, so concurrent creates see each other.
    const keys = terminalId === undefined ? [undefined] : [undefined, terminalId];
    for (const key of keys) add(key, 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      for (const key of keys) add(key, -1);
    };
    try {
      const [all, own] = await Promise.all([
        store.countPending(),
        terminalId === undefined ? undefined : store.countPending(terminalId),
      ]);
      if (own && own.count + underWay.get(terminalId)! > limits.maxPendingPerTerminal) {
        throw tooMany(
          `Terminal ${terminalId} has ${limits.maxPendingPerTerminal} QR codes waiting to be paid, the most it may; finish or cancel one first.`,
          own,
        );
      }
      if (all.count + underWay.get(undefined)! > limits.maxPending) {
        throw tooMany('Too many QR codes are waiting to be paid; try again shortly.', all);
      }
    } catch (error) {
      release();
      throw error;
    }
    return release;
  };
}
