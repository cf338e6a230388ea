/**
 * Where the backend keeps its orders. The interface is async and change-notifying so a shared store
 * (Redis, a database) can stand in for the in-memory one when several instances serve one shop.
 */
import type { CancelResult, CreateQrRequest, OrderStatus, QrFormat } from '../../contract/types.js';
import { TERMINAL_STATUSES } from '../../contract/types.js';
import type { OrderOwner } from './access.js';

/** A payment that arrived after the order was already over, and the refund asked for it. */
export interface LatePayment {
  amazonChargeId?: string;
  /** Derived from the order id, so asking again never refunds twice. */
  refundId: string;
  /** `Requested` until Amazon answers; then Amazon's `Approved`, `Pending` or `Declined`. */
  refundStatus: 'Requested' | 'Approved' | 'Pending' | 'Declined';
  /** How many refund calls were made. */
  attempts: number;
  /** Why the last refund call failed, while it is still being retried. */
  lastError?: string;
}

/** The terms an order was created with (a `POST /qr` body, `formats` defaulted). */
export type OrderTerms = Omit<CreateQrRequest, 'formats'> & { formats: QrFormat[] };

/** One order as stored: the terms it was created with, Amazon's token and what happened since. */
export interface OrderRecord extends OrderTerms {
  /** The terminal that created the order, when the caller was known: only it may read or cancel the order. */
  owner?: OrderOwner;
  status: OrderStatus;
  /** Epoch milliseconds at which the QR stops being payable. */
  expiresAt: number;
  tokenId: string;
  qrString?: string;
  qrImage?: string;
  amazonChargeId?: string;
  cancel?: CancelResult;
  /**
   * When a cancel was sent to Amazon and has not been answered yet. Until it is, a `SUCCESS` does
   * not make the order paid: the cancel may be refunding that very payment, and its answer decides.
   */
  cancelStartedAt?: number;
  latePayment?: LatePayment;
  createdAt: number;
  updatedAt: number;
  /** Bumped by every write; a write based on an older version is refused. */
  version: number;
}

/** Thrown by `create` when the order id is already taken. */
export class OrderExistsError extends Error {
  override readonly name = 'OrderExistsError';
  constructor(readonly orderId: string) {
    super(`Order ${orderId} already exists.`);
  }
}

/** How many orders are still payable (pending, before their expiry), and when the first of them expires. */
export interface PendingCount {
  count: number;
  /** Epoch milliseconds; absent when `count` is 0. */
  nextExpiresAt?: number;
}

/**
 * What the backend needs from a store. `update` runs `change` on the current record and writes its
 * result only if nobody wrote in between (version check), retrying otherwise; `change` returns
 * `undefined` to leave the record as it is. `subscribe` reports every write of one order, including
 * writes made by other instances when the store is shared.
 */
export interface OrderStore {
  get(orderId: string): Promise<OrderRecord | undefined>;
  /** Stores a new record; rejects with `OrderExistsError` when the id is taken. */
  create(record: OrderRecord): Promise<OrderRecord>;
  update(orderId: string, change: (current: OrderRecord) => OrderRecord | undefined): Promise<OrderRecord | undefined>;
  subscribe(orderId: string, listener: (record: OrderRecord) => void): () => void;
  /**
   * The orders still payable now (status `pending`, `expiresAt` in the future) among every order
   * the store holds, or among those whose `owner` is `terminalId`: what the pending-order caps
   * count, across restarts and instances.
   */
  countPending(terminalId?: string): Promise<PendingCount>;
}

/** Options of the in-memory store. */
export interface MemoryStoreOptions {
  /** How long a finished (or expired) order is remembered so its id is not reused. Default 24 h. */
  retentionMs?: number;
  now?: () => number;
}

const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;
const SWEEP_INTERVAL_MS = 60 * 1000;

/**
 * The default store: one process, no dependencies. Forgets an order `retentionMs` after it ended
 * (a pending order counts as ended at its expiry), sweeping lazily at most once a minute.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): OrderStore {
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const now = options.now ?? Date.now;
  const records = new Map<string, OrderRecord>();
  const listeners = new Map<string, Set<(record: OrderRecord) => void>>();
  /** The pending orders, by id: at most what the pending-order caps let in. */
  const pending = new Map<string, OrderRecord>();
  let lastSweep = now();

  function index(record: OrderRecord) {
    if (record.status === 'pending') pending.set(record.orderId, record);
    else pending.delete(record.orderId);
  }

  function sweep() {
    const time = now();
    if (time - lastSweep < Math.min(SWEEP_INTERVAL_MS, retentionMs)) return;
    lastSweep = time;
    for (const [orderId, record] of records) {
      const ended = TERMINAL_STATUSES.includes(record.status) ? record.updatedAt : record.expiresAt;
      if (ended + retentionMs <= time) records.delete(orderId);
    }
  }

  function publish(record: OrderRecord) {
    for (const listener of [...(listeners.get(record.orderId) ?? [])]) listener(record);
  }

  return {
    async get(orderId) {
      sweep();
      return records.get(orderId);
    },
    async create(record) {
      sweep();
      if (records.has(record.orderId)) throw new OrderExistsError(record.orderId);
      records.set(record.orderId, record);
      index(record);
      publish(record);
      return record;
    },
    // Read, change and write happen in one turn of the event loop: nothing can write in between.
    async update(orderId, change) {
      const current = records.get(orderId);
      if (!current) return undefined;
      const next = change(current);
      if (!next || next === current) return current;
      const written = { ...next, version: current.version + 1, updatedAt: now() };
      records.set(orderId, written);
      index(written);
      publish(written);
      return written;
    },
    subscribe(orderId, listener) {
      let set = listeners.get(orderId);
      if (!set) listeners.set(orderId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(orderId) === set) listeners.delete(orderId);
      };
    },
    async countPending(terminalId) {
      const time = now();
      let count = 0;
      let nextExpiresAt: number | undefined;
      for (const record of pending.values()) {
        if (record.expiresAt <= time) pending.delete(record.orderId);
        else if (terminalId === undefined || record.owner?.terminalId === terminalId) {
          count += 1;
          nextExpiresAt = Math.min(nextExpiresAt ?? Infinity, record.expiresAt);
        }
      }
      return nextExpiresAt === undefined ? { count } : { count, nextExpiresAt };
    },
  };
}
