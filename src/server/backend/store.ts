/**
 * Where the backend keeps its orders. The interface is async and change-notifying so a shared store
 * (Redis, a database) can stand in for the in-memory one when several instances serve one shop.
 */
import type { CancelResult, CreateQrRequest, OrderStatus, QrFormat } from '../../contract/types.js';
import { TERMINAL_STATUSES } from '../../contract/types.js';
import { ServerError } from '../errors.js';
import type { OrderOwner } from './access.js';
import { keyedListeners } from '../listeners.js';
import { HttpError } from './errors.js';
import { nextDueAt, type Jobs } from './jobs.js';
import { PendingOrders } from './pending-orders.js';

/** A payment that arrived after the order was already over, and the refund asked for it. */
export interface LatePayment {
  amazonChargeId?: string;
  /** Derived from the order id, so asking again never refunds twice. */
  refundId: string;
  /** `Requested` until Amazon answers; then Amazon's `Approved`, `Pending` or `Declined`. */
  refundStatus: 'Requested' | 'Approved' | 'Pending' | 'Declined';
  /** Since when the refund call has been failing, once it has failed for longer than allowed. */
  stuckSince?: number;
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
  latePayment?: LatePayment;
  /**
   * `notification`: this backend had no record of the order when Amazon's notification of its
   * payment arrived; the order was recorded from Amazon's answer so that its charge is refunded.
   */
  recordedFrom?: 'notification';
  /** What the backend still owes the order (see jobs.ts); absent once it owes nothing. */
  jobs?: Jobs;
  createdAt: number;
  updatedAt: number;
  /** Bumped by every write; a write based on an older version is refused. */
  version: number;
}

/** Thrown by `create` when the order id is already taken. */
export class OrderExistsError extends ServerError {
  override readonly name: string = 'OrderExistsError';
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
 * The store could not be reached or written (or answered too late): the request may be retried,
 * and nothing was changed that the caller was told about.
 */
export class StoreUnavailableError extends HttpError {
  constructor(
    /** The store's name in the message: `Redis`, `SQLite`. */
    store: string,
    override readonly cause: unknown,
  ) {
    super(503, 'UPSTREAM_UNAVAILABLE', `The order store (${store}) could not be reached; try again.`);
  }
}

/** An order with a job due, and when its earliest one is due. */
export interface DueOrder {
  orderId: string;
  dueAt: number;
}

/**
 * What the backend needs from a store. `update` runs `change` on the current record and writes its
 * result only if nobody wrote in between (version check), retrying otherwise; `change` returns
 * `undefined` to leave the record as it is. `subscribe` reports every write of one order, including
 * writes made by other instances when the store is shared. Every write also keeps the store's index
 * of each order's next due job (`record.jobs`), which `due` reads. A record with jobs is never
 * forgotten, however old.
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
  /** Orders whose next job is due at or before `until`, earliest first, at most `limit` of them. */
  due(until: number, limit: number): Promise<DueOrder[]>;
}

/** The earliest due times first, at most `limit`, of the `index` entries due by `until`. */
export function dueFromIndex(index: ReadonlyMap<string, number>, until: number, limit: number): DueOrder[] {
  const due: DueOrder[] = [];
  for (const [orderId, dueAt] of index) if (dueAt <= until) due.push({ orderId, dueAt });
  return due.sort((a, b) => a.dueAt - b.dueAt).slice(0, limit);
}

/**
 * When a record may be forgotten: `retentionMs` after it ended (a pending order ends at its
 * expiry); never while it still owes a job.
 */
export function forgetAt(record: OrderRecord, retentionMs: number): number | undefined {
  if (record.jobs) return undefined;
  return (TERMINAL_STATUSES.includes(record.status) ? record.updatedAt : record.expiresAt) + retentionMs;
}

/** Options of the in-memory store. */
export interface MemoryStoreOptions {
  /** How long a finished (or expired) order is remembered so its id is not reused. Default 24 h. */
  retentionMs?: number;
  now?: () => number;
}

const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;
const SWEEP_INTERVAL_MS = 60 * 1000;

/** Listeners of each order's writes, within one process. */
export function localListeners() {
  const listeners = keyedListeners<OrderRecord>();
  return {
    publish: (record: OrderRecord) => listeners.emit(record.orderId, record),
    subscribe: (orderId: string, listener: (record: OrderRecord) => void) => listeners.add(orderId, listener),
  };
}

/**
 * The store of tests and the demo: one process, no dependencies, and nothing kept across a
 * restart (every order, and with it what the backend owes customers, is lost). Forgets an order
 * `retentionMs` after it ended (a pending order counts as ended at its expiry), sweeping lazily
 * at most once a minute.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): OrderStore {
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const now = options.now ?? Date.now;
  const records = new Map<string, OrderRecord>();
  const dueIndex = new Map<string, number>();
  const pending = new PendingOrders();
  const { publish, subscribe } = localListeners();
  let lastSweep = now();

  function sweep() {
    const time = now();
    if (time - lastSweep < Math.min(SWEEP_INTERVAL_MS, retentionMs)) return;
    lastSweep = time;
    for (const [orderId, record] of records) {
      if ((forgetAt(record, retentionMs) ?? Infinity) <= time) records.delete(orderId);
    }
  }

  function put(record: OrderRecord) {
    records.set(record.orderId, record);
    pending.put(record);
    const dueAt = nextDueAt(record.jobs);
    if (dueAt === undefined) dueIndex.delete(record.orderId);
    else dueIndex.set(record.orderId, dueAt);
    publish(record);
  }

  return {
    async get(orderId) {
      sweep();
      return records.get(orderId);
    },
    async create(record) {
      sweep();
      if (records.has(record.orderId)) throw new OrderExistsError(record.orderId);
      put(record);
      return record;
    },
    // Read, change and write happen in one turn of the event loop: nothing can write in between.
    async update(orderId, change) {
      const current = records.get(orderId);
      if (!current) return undefined;
      const next = change(current);
      if (!next || next === current) return current;
      const written = { ...next, version: current.version + 1, updatedAt: now() };
      put(written);
      return written;
    },
    subscribe,
    async countPending(terminalId) {
      return pending.count(now(), terminalId);
    },
    async due(until, limit) {
      return dueFromIndex(dueIndex, until, limit);
    },
  };
}
