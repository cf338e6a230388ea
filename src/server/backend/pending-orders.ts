/**
 * The memory store's pending orders, counted without a scan: every create asks how many orders
 * wait (in all and for its terminal), and a scan of thousands of them on each was the largest
 * single cost of a create. Orders are indexed by id, by terminal, and in a heap by expiry from
 * which expired ones and ones no longer pending are shed as they come to its top.
 */
import type { OrderRecord, PendingCount } from './store.js';

interface ExpiryEntry {
  expiresAt: number;
  orderId: string;
}

/** The pending orders of one memory store. */
export class PendingOrders {
  readonly #orders = new Map<string, OrderRecord>();
  readonly #byTerminal = new Map<string, Set<string>>();
  /** A binary min-heap by `expiresAt`; an entry whose order left or changed expiry is stale. */
  readonly #byExpiry: ExpiryEntry[] = [];

  /** Takes in the order as stored now: kept while pending, dropped once not. */
  put(record: OrderRecord): void {
    const known = this.#orders.get(record.orderId);
    if (known) this.#drop(known);
    if (record.status !== 'pending') return;
    this.#orders.set(record.orderId, record);
    const terminalId = record.owner?.terminalId;
    if (terminalId !== undefined) {
      const ids = this.#byTerminal.get(terminalId) ?? new Set<string>();
      this.#byTerminal.set(terminalId, ids.add(record.orderId));
    }
    if (known?.expiresAt !== record.expiresAt) this.#push({ expiresAt: record.expiresAt, orderId: record.orderId });
  }

  /** The orders pending at `now` (of `terminalId` when given), and the soonest to expire. */
  count(now: number, terminalId?: string): PendingCount {
    this.#shed(now);
    if (terminalId === undefined) {
      const [next] = this.#byExpiry;
      return next === undefined ? { count: 0 } : { count: this.#orders.size, nextExpiresAt: next.expiresAt };
    }
    const ids = this.#byTerminal.get(terminalId);
    if (!ids) return { count: 0 };
    let nextExpiresAt = Infinity;
    for (const orderId of ids) nextExpiresAt = Math.min(nextExpiresAt, this.#orders.get(orderId)!.expiresAt);
    return { count: ids.size, nextExpiresAt };
  }

  #drop(record: OrderRecord) {
    this.#orders.delete(record.orderId);
    const terminalId = record.owner?.terminalId;
    const ids = terminalId === undefined ? undefined : this.#byTerminal.get(terminalId);
    ids?.delete(record.orderId);
    if (ids?.size === 0) this.#byTerminal.delete(terminalId!);
  }

  /** Pops stale entries and the orders expired by `now` off the heap's top. */
  #shed(now: number) {
    for (let top = this.#byExpiry[0]; top !== undefined; top = this.#byExpiry[0]) {
      const record = this.#orders.get(top.orderId);
      const stale = record?.expiresAt !== top.expiresAt;
      if (!stale && top.expiresAt > now) return;
      this.#pop();
      if (!stale) this.#drop(record);
    }
  }

  #push(entry: ExpiryEntry) {
    const heap = this.#byExpiry;
    let index = heap.push(entry) - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent].expiresAt <= entry.expiresAt) break;
      heap[index] = heap[parent];
      index = parent;
    }
    heap[index] = entry;
  }

  #pop() {
    const heap = this.#byExpiry;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right].expiresAt < heap[left].expiresAt ? right : left;
      if (heap[child].expiresAt >= last.expiresAt) break;
      heap[index] = heap[child];
      index = child;
    }
    heap[index] = last;
  }
}
