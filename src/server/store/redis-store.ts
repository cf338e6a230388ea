/**
 * The order store for several backend instances: each order is one Redis hash (`version` and the
 * record as JSON) that expires as the in-memory store forgets it, unless it still owes a job. A
 * write is a Lua script that checks the version it was based on, so an IPN, a poll and a cancel
 * racing on different instances never lose an update; the same script publishes the new record,
 * which wakes the long polls waiting for that order on every instance, and keeps two indexes: the
 * pending orders (a sorted set by expiry, in all and per terminal) that the pending-order caps
 * count, and each order's next due job, which the job workers read.
 */
import { nextDueAt } from '../backend/jobs.js';
import { forgetAt, OrderExistsError, type OrderRecord, type OrderStore } from '../backend/store.js';
import { ServerError } from '../errors.js';
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

// KEYS: the order hash, the due set, the pending index in all, the owner's pending index (when
// there is one). ARGV: the order id, the version the change was based on, the new version, the
// record JSON, its ttl in ms ('' to keep it: it owes a job), its next due time ('' for none), its
// expiry while it is pending ('' once it is not), the channel, the message.
const WRITE = `
redis.call('hset', KEYS[1], 'version', ARGV[3], 'record', ARGV[4])
if ARGV[5] == '' then redis.call('persist', KEYS[1]) else redis.call('pexpire', KEYS[1], ARGV[5]) end
if ARGV[6] == '' then redis.call('zrem', KEYS[2], ARGV[1]) else redis.call('zadd', KEYS[2], ARGV[6], ARGV[1]) end
for i = 3, #KEYS do
  if ARGV[7] == '' then redis.call('zrem', KEYS[i], ARGV[1]) else redis.call('zadd', KEYS[i], ARGV[7], ARGV[1]) end
end
redis.call('publish', ARGV[8], ARGV[9])
return 1`;

const CREATE = `
if redis.call('exists', KEYS[1]) == 1 then return 0 end
${WRITE}`;

const UPDATE = `
if redis.call('hget', KEYS[1], 'version') ~= ARGV[2] then return 0 end
${WRITE}`;

// KEYS[1] a pending index; ARGV[1] now. Drops what has expired; answers the count and the first expiry.
const COUNT = `
redis.call('zremrangebyscore', KEYS[1], '-inf', ARGV[1])
local first = redis.call('zrange', KEYS[1], 0, 0, 'WITHSCORES')
return {redis.call('zcard', KEYS[1]), first[2] or false}`;

/** Thrown when an order kept changing under `update` for `MAX_ATTEMPTS` tries. */
export class StoreContentionError extends ServerError {
  override readonly name: string = 'StoreContentionError';
  constructor(readonly orderId: string) {
    super(`Order ${orderId} kept changing while it was being updated.`);
  }
}

/** An `OrderStore` on Redis; several instances given the same Redis and prefix share every order. */
export function createRedisStore(redis: RedisConnection, options: RedisStoreOptions = {}): OrderStore {
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const now = options.now ?? Date.now;
  const keyOf = (orderId: string) => `${redis.prefix}order:${orderId}`;
  const dueKey = `${redis.prefix}due`;
  const pendingKey = (terminalId?: string) =>
    terminalId === undefined ? `${redis.prefix}pending` : `${redis.prefix}pending:terminal:${terminalId}`;

  /** Milliseconds left to keep `record`, or '' to keep it while it owes a job. */
  function ttlOf(record: OrderRecord) {
    const at = forgetAt(record, retentionMs);
    return at === undefined ? '' : String(Math.max(1, Math.ceil(at - now())));
  }

  async function read(orderId: string) {
    const record = await redis.run((client) => client.hGet(keyOf(orderId), 'record'));
    return record == null ? undefined : (JSON.parse(record) as OrderRecord);
  }

  function write(script: string, record: OrderRecord, basedOn: number) {
    const owner = record.owner?.terminalId;
    const dueAt = nextDueAt(record.jobs);
    return redis.run((client) =>
      client.eval(script, {
        keys: [keyOf(record.orderId), dueKey, pendingKey(), ...(owner === undefined ? [] : [pendingKey(owner)])],
        arguments: [
          record.orderId,
          String(basedOn),
          String(record.version),
          JSON.stringify(record),
          ttlOf(record),
          dueAt === undefined ? '' : String(dueAt),
          record.status === 'pending' ? String(record.expiresAt) : '',
          redis.channel,
          redis.message('order', record.orderId, record),
        ],
      }),
    );
  }

  return {
    get: read,
    async create(record) {
      const created = await write(CREATE, record, 0);
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
        if ((await write(UPDATE, written, current.version)) === 1) return written;
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
    async due(until, limit) {
      const entries = await redis.run((client) =>
        client.zRangeByScoreWithScores(dueKey, '-inf', until, { LIMIT: { offset: 0, count: limit } }),
      );
      return entries.map(({ value, score }) => ({ orderId: value, dueAt: score }));
    },
  };
}
