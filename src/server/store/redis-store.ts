/**
 * The order store for several backend instances: each order is one Redis hash (`version` and the
 * record as JSON) that expires as the in-memory store forgets it. A write is a Lua script that
 * checks the version it was based on, so an IPN, a poll and a cancel racing on different instances
 * never lose an update; the same script publishes the new record, which wakes the long polls
 * waiting for that order on every instance, and keeps the pending orders' index (a sorted set by
 * expiry, in all and per terminal) that the pending-order caps count.
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

// The pending index: KEYS[2] (all) and KEYS[3] (the owner's, when there is one) hold the order id
// scored by its expiry while it is pending. ARGV[1] is the order id, ARGV[2] its expiry or '' once
// it is no longer pending.
const INDEX = `
for i = 2, #KEYS do
  if ARGV[2] == '' then redis.call('zrem', KEYS[i], ARGV[1]) else redis.call('zadd', KEYS[i], ARGV[2], ARGV[1]) end
end`;

// KEYS[1] order hash, then the pending index; ARGV: order id, expiry, version, record JSON, ttl ms, channel, message.
const CREATE = `
if redis.call('exists', KEYS[1]) == 1 then return 0 end
redis.call('hset', KEYS[1], 'version', ARGV[3], 'record', ARGV[4])
redis.call('pexpire', KEYS[1], ARGV[5])
${INDEX}
redis.call('publish', ARGV[6], ARGV[7])
return 1`;

// KEYS[1] order hash, then the pending index; ARGV: order id, expiry, expected version, new version,
// record JSON, ttl ms, channel, message.
const UPDATE = `
if redis.call('hget', KEYS[1], 'version') ~= ARGV[3] then return 0 end
redis.call('hset', KEYS[1], 'version', ARGV[4], 'record', ARGV[5])
redis.call('pexpire', KEYS[1], ARGV[6])
${INDEX}
redis.call('publish', ARGV[7], ARGV[8])
return 1`;

// KEYS[1] a pending index; ARGV[1] now. Drops what has expired; answers the count and the first expiry.
const COUNT = `
redis.call('zremrangebyscore', KEYS[1], '-inf', ARGV[1])
local first = redis.call('zrange', KEYS[1], 0, 0, 'WITHSCORES')
return {redis.call('zcard', KEYS[1]), first[2] or false}`;

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
  const pendingKey = (terminalId?: string) =>
    terminalId === undefined ? `${redis.prefix}pending` : `${redis.prefix}pending:terminal:${terminalId}`;

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
    const owner = record.owner?.terminalId;
    const keys = [keyOf(record.orderId), pendingKey(), ...(owner === undefined ? [] : [pendingKey(owner)])];
    const expiry = record.status === 'pending' ? String(record.expiresAt) : '';
    return redis.run((client) =>
      client.eval(script, {
        keys,
        arguments: [record.orderId, expiry, ...versions, json, ttlOf(record), redis.channel, message],
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
    async countPending(terminalId) {
      const [count, first] = (await redis.run((client) =>
        client.eval(COUNT, { keys: [pendingKey(terminalId)], arguments: [String(now())] }),
      )) as [number, string | null];
      return first == null ? { count } : { count, nextExpiresAt: Number(first) };
    },
  };
}
