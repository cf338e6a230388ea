/**
 * The order store on disk for one backend process: an embedded SQLite file (better-sqlite3) in WAL
 * mode with full synchronous commits, so an order, and every job it owes, survives a crash, a
 * SIGKILL or a power cut once its write has returned. The file is locked to the process that
 * opened it (SQLite's exclusive locking mode): a second backend started on it by mistake is
 * refused at once instead of sharing it unsafely. Its schema is versioned (`PRAGMA user_version`)
 * and each later release migrates it in place.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { nextDueAt } from '../backend/jobs.js';
import {
  forgetAt,
  localListeners,
  OrderExistsError,
  StoreUnavailableError,
  type OrderRecord,
  type OrderStore,
} from '../backend/store.js';
import { StoreSetupError } from './setup-error.js';

/** Options of `openSqliteStore`. */
export interface SqliteStoreOptions {
  /** The database file; created, with its folder, on first start. */
  path: string;
  /** How long a finished (or expired) order is kept so its id is not reused. Default 24 h, as in memory. */
  retentionMs?: number;
  now?: () => number;
}

/** An `OrderStore` in one SQLite file, and the way to close it. */
export interface SqliteStore extends OrderStore {
  /** The file's absolute path. */
  readonly path: string;
  close(): void;
}

/** `DQR1`: marks a file as this project's order store. */
const APPLICATION_ID = 0x44515231;
const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;
const SWEEP_INTERVAL_MS = 60 * 1000;

/**
 * The schema, one step per release that changed it: step N brings a file from `user_version` N
 * to N + 1. Steps are only ever appended.
 */
const MIGRATIONS: readonly ((db: Database.Database) => void)[] = [
  (db) =>
    db.exec(`
      CREATE TABLE orders (
        order_id TEXT PRIMARY KEY NOT NULL,
        version INTEGER NOT NULL,
        record TEXT NOT NULL,
        next_due_at INTEGER,
        forget_at INTEGER,
        pending_until INTEGER,
        terminal_id TEXT
      ) STRICT;
      CREATE INDEX orders_by_next_due_at ON orders (next_due_at) WHERE next_due_at IS NOT NULL;
      CREATE INDEX orders_by_forget_at ON orders (forget_at) WHERE forget_at IS NOT NULL;
      CREATE INDEX orders_pending ON orders (pending_until) WHERE pending_until IS NOT NULL;
      CREATE INDEX orders_pending_by_terminal ON orders (terminal_id, pending_until) WHERE pending_until IS NOT NULL;
    `),
];

/** The schema version this release writes. */
export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

interface Row {
  record: string;
}

function isSqliteError(error: unknown): error is Error & { code: string } {
  return (
    error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && error.name === 'SqliteError'
  );
}

/** Opens the file, locks it, and creates or migrates its schema. */
function open(path: string): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: 0 });
  } catch (error) {
    throw new StoreSetupError(`The order store ${path} cannot be opened: ${(error as Error).message}.`);
  }
  try {
    // Before anything reads the file: the lock is taken at the first access and held until close.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    migrate(db, path);
    return db;
  } catch (error) {
    db.close();
    if (isSqliteError(error) && error.code.startsWith('SQLITE_BUSY')) {
      throw new StoreSetupError(
        `The order store ${path} is in use by another process (another backend on the same file?); one SQLite file serves one backend process: stop the other, or use DQR_STORE=redis for several instances.`,
      );
    }
    if (isSqliteError(error) && error.code.startsWith('SQLITE_NOTADB')) {
      throw new StoreSetupError(`${path} is not an amazonpay-dqr order store (not an SQLite database).`);
    }
    throw error;
  }
}

function migrate(db: Database.Database, path: string) {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const hasTables = db.prepare(`SELECT count(*) AS n FROM sqlite_master`).get() as { n: number };
  if (applicationId !== APPLICATION_ID && (applicationId !== 0 || version !== 0 || hasTables.n > 0)) {
    throw new StoreSetupError(`${path} is not an amazonpay-dqr order store; point DQR_SQLITE_PATH at a new file.`);
  }
  if (version > MIGRATIONS.length) {
    throw new StoreSetupError(
      `The order store ${path} was written by a newer amazonpay-dqr (schema ${version}; this version knows ${MIGRATIONS.length}): run the newer version.`,
    );
  }
  db.transaction(() => {
    for (let step = version; step < MIGRATIONS.length; step += 1) MIGRATIONS[step](db);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

/**
 * Opens (creating on first start) the SQLite order store at `options.path`; throws a
 * `StoreSetupError` when the file is held by another process, is not an order store, or was
 * written by a newer version.
 */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const path = resolve(options.path);
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const now = options.now ?? Date.now;
  const db = open(path);
  const { publish, subscribe } = localListeners();
  let lastSweep = 0;

  const select = db.prepare<[string], Row>(`SELECT record FROM orders WHERE order_id = ?`);
  const insert = db.prepare(
    `INSERT INTO orders (order_id, version, record, next_due_at, forget_at, pending_until, terminal_id)
     VALUES (@orderId, @version, @record, @nextDueAt, @forgetAt, @pendingUntil, @terminalId)`,
  );
  const replace = db.prepare(
    `UPDATE orders SET version = @version, record = @record, next_due_at = @nextDueAt, forget_at = @forgetAt,
     pending_until = @pendingUntil, terminal_id = @terminalId WHERE order_id = @orderId`,
  );
  const pendingIn = (where: string) =>
    db.prepare<unknown[], { n: number; first: number | null }>(
      `SELECT count(*) AS n, min(pending_until) AS first FROM orders WHERE pending_until > ? ${where}`,
    );
  const pendingAll = pendingIn('');
  const pendingOf = pendingIn('AND terminal_id = ?');
  const dueBy = db.prepare<[number, number], { order_id: string; next_due_at: number }>(
    `SELECT order_id, next_due_at FROM orders WHERE next_due_at <= ? ORDER BY next_due_at LIMIT ?`,
  );
  const forget = db.prepare<[number]>(`DELETE FROM orders WHERE forget_at <= ?`);

  const row = (record: OrderRecord) => ({
    orderId: record.orderId,
    version: record.version,
    record: JSON.stringify(record),
    nextDueAt: nextDueAt(record.jobs) ?? null,
    forgetAt: forgetAt(record, retentionMs) ?? null,
    pendingUntil: record.status === 'pending' ? record.expiresAt : null,
    terminalId: record.owner?.terminalId ?? null,
  });
  const read = (orderId: string) => {
    const found = select.get(orderId);
    return found ? (JSON.parse(found.record) as OrderRecord) : undefined;
  };

  /** Runs `task`; a failing disk (full, unwritable, locked) is a retryable 503, nothing else is hidden. */
  function guarded<T>(task: () => T): T {
    try {
      return task();
    } catch (error) {
      if (isSqliteError(error) && /^SQLITE_(FULL|IOERR|BUSY|LOCKED|CANTOPEN|READONLY|PROTOCOL)/.test(error.code)) {
        throw new StoreUnavailableError('SQLite', error);
      }
      throw error;
    }
  }

  function sweep() {
    const time = now();
    if (time - lastSweep < Math.min(SWEEP_INTERVAL_MS, retentionMs)) return;
    lastSweep = time;
    forget.run(time);
  }

  const createTx = db.transaction((record: OrderRecord) => {
    sweep();
    if (select.get(record.orderId)) return false;
    insert.run(row(record));
    return true;
  });
  const updateTx = db.transaction(
    (
      orderId: string,
      change: (current: OrderRecord) => OrderRecord | undefined,
    ): [OrderRecord | undefined, boolean] => {
      const current = read(orderId);
      if (!current) return [undefined, false];
      const next = change(current);
      if (!next || next === current) return [current, false];
      const written = { ...next, version: current.version + 1, updatedAt: now() };
      replace.run(row(written));
      return [written, true];
    },
  );

  return {
    path,
    async get(orderId) {
      return guarded(() => read(orderId));
    },
    async create(record) {
      if (!guarded(() => createTx.immediate(record))) throw new OrderExistsError(record.orderId);
      publish(record);
      return record;
    },
    async update(orderId, change) {
      const [record, written] = guarded(() => updateTx.immediate(orderId, change));
      if (written && record) publish(record);
      return record;
    },
    subscribe,
    async countPending(terminalId) {
      const time = now();
      const { n, first } = guarded(() =>
        terminalId === undefined ? pendingAll.get(time)! : pendingOf.get(time, terminalId)!,
      );
      return first === null ? { count: n } : { count: n, nextExpiresAt: first };
    },
    async due(until, limit) {
      return guarded(() => dueBy.all(until, limit)).map((entry) => ({
        orderId: entry.order_id,
        dueAt: entry.next_due_at,
      }));
    },
    close() {
      if (db.open) db.close();
    },
  };
}
