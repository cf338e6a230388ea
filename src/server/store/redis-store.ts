/**
 * The order store for several backend instances: each order is one Redis hash (`version` and the
 * record as JSON) that expires as the in-memory store forgets it. A write is a Lua script that
 * checks the version it was based on, so an IPN, a poll and a cancel racing on different instances
 * never lose an update; the same script publishes the new record, which wakes the long polls
 * waiting for that order on every instance.
 */
import { isTerminal } from '../backend/amazon-status.js';
import { OrderExistsError, type OrderRecord, type OrderStore } from '../backend/store.js';
import type { RedisConnection } from './redis-connection.js';

/** Options of the Redis store. */
export interface RedisStoreOptions {
  /** How long a finished (or expired) order is kept so its id is not reused. Default 24 h, as in memory. */
  retentionMs?: number;
  now?: () => number;
}

const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Writes based on a stale version are retried; this many in a row means something is very wrong. */
const MAX_ATTEMPTS = 50;

// KEYS[1] order hash; ARGV: version, record JSON, ttl ms, channel, message.
const CREATE = `
if redis.call('exists', KEYS[1]) == 1 then return 0 end
redis.call('hset', KEYS[1], 'version', ARGV[1], 'record', ARGV[2])
redis.call('pexpire', KEYS[1], ARGV[3])
redis.call('publish', ARGV[4], ARGV[5])
return 1`;

// KEYS[1] order hash; ARGV: expected version, new version, record JSON, ttl ms, channel, message.
const UPDATE = `
if redis.call('hget', KEYS[1], 'version') ~= ARGV[1] then return 0 end
redis.call('hset', KEYS[1], 'version', ARGV[2], 'record', ARGV[3])
redis.call('pexpire', KEYS[1], ARGV[4])
redis.call('publish', ARGV[5], ARGV[6])
return 1`;

/** Thrown when an order kept changing under `update` for `MAX_ATTEMPTS` tries. */
export class StoreContentionError extends Error {
  override readonly name = 'StoreContentionError';
  constructor(readonly orderId: string) {
    super(`Order ${orderId} kept changing while it was being updated.`);
  }
}

/** An `OrderStore` on Redis; several instances given the same Redis and prefix share every order. */
export function createRedisStore(redis: RedisConnection, options: RedisStoreOptions = {}): OrderStore {
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const now = options.now ?? Date.now;
  const keyOf = (orderId: string) => `${redis.prefix}order:${orderId}`;

  /** Milliseconds left to keep `record`: a pending order counts as ended at its expiry. */
  function ttlOf(record: OrderRecord) {
    const ended = isTerminal(record.status) ? record.updatedAt : record.expiresAt;
    return String(Math.max(1, Math.ceil(ended + retentionMs - now())));
  }

  async function read(orderId: string) {
    const record = await redis.run((client) => client.hGet(keyOf(orderId), 'record'));
    return record == null ? undefined : (JSON.parse(record) as OrderRecord);
  }

  function write(script: string, record: OrderRecord, versions: string[]) {
    const json = JSON.stringify(record);
    const message = redis.message('order', record.orderId, record);
    return redis.run((client) =>
      client.eval(script, {
        keys: [keyOf(record.orderId)],
        arguments: [...versions, json, ttlOf(record), redis.channel, message],
      }),
    );
  }

  return {
    get: read,
    async create(record) {
      const created = await write(CREATE, record, [String(record.version)]);
      if (created !== 1) throw new OrderExistsError(record.orderId);
      return record;
    },
    async update(orderId, change) {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const current = await read(orderId);
        if (!current) return undefined;
        const next = change(current);
        if (!next || next === current) return current;
        const written = { ...next, version: current.version + 1, updatedAt: now() };
        if ((await write(UPDATE, written, [String(current.version), String(written.version)])) === 1) return written;
      }
      throw new StoreContentionError(orderId);
    },
    subscribe(orderId, listener) {
      return redis.listen('order', orderId, (record) => listener(record as OrderRecord));
    },
  };
}
