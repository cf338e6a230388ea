/**
 * One Amazon Pay call per order at a time across every instance. Without it, an IPN landing on one
 * instance and long polls held on three others make four Get-status calls, and two terminals
 * cancelling at once make two upstream cancels. The first instance takes a short lock
 * (`SET NX PX`) and makes the call; the others wait for its answer (published on the shared
 * channel) and return that same verified answer. If the holder fails, or dies and its lock expires,
 * a waiter takes the lock and calls Amazon itself: nobody is ever answered without Amazon.
 */
import { randomUUID } from 'node:crypto';
import type { AmazonPayClient } from '../amazon-pay/types.js';
import type { RedisConnection } from './redis-connection.js';

/** Options of `shareUpstreamCalls`. */
export interface UpstreamLockOptions {
  /**
   * How long a lock outlives a holder that stopped answering, in milliseconds. Longer than one
   * Amazon Pay call with its retries. Default 15 s.
   */
  lockMs?: number;
  /** Called when a call waits for another instance's answer instead of asking Amazon (for metrics). */
  onWait?: (operation: 'status' | 'cancel', orderId: string) => void;
}

/** What the holder publishes when it is done: Amazon's answer, or nothing when its call failed. */
interface CallEnd {
  result?: unknown;
}

// KEYS: lock, result. ARGV: holder token, result JSON or '', result ttl ms, channel, message.
const RELEASE = `
if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
if ARGV[2] ~= '' then redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3]) end
redis.call('publish', ARGV[4], ARGV[5])
return 1`;

/**
 * Wraps `client` so that `getStatus` and `cancel` for one order run on one instance at a time,
 * the others sharing the answer. Give every instance's backend the wrapped client.
 */
export function shareUpstreamCalls(
  client: AmazonPayClient,
  redis: RedisConnection,
  options: UpstreamLockOptions = {},
): AmazonPayClient {
  const lockMs = options.lockMs ?? 15_000;
  const resultKey = (token: string) => `${redis.prefix}call:${token}`;

  async function hold<T>(lockKey: string, token: string, call: () => Promise<T>): Promise<T> {
    let end: CallEnd = {};
    try {
      const result = await call();
      end = { result };
      return result;
    } finally {
      const result = 'result' in end ? JSON.stringify(end.result) : '';
      // Amazon's answer stands even if Redis fails now: the lock then simply expires.
      await redis
        .run((commands) =>
          commands.eval(RELEASE, {
            keys: [lockKey, resultKey(token)],
            arguments: [token, result, String(lockMs), redis.channel, redis.message('call', token, end)],
          }),
        )
        .catch(() => undefined);
    }
  }

  /** Waits for the current holder to finish; `undefined` when the caller should try the lock again. */
  async function awaitHolder(lockKey: string, waiting: () => void, signal?: AbortSignal): Promise<CallEnd | undefined> {
    const holder = await redis.run((commands) => commands.get(lockKey));
    if (holder === null) return undefined;
    return new Promise<CallEnd | undefined>((resolve, reject) => {
      const stop = redis.listen('call', holder, (end) =>
        finish((end as CallEnd).result === undefined ? undefined : (end as CallEnd)),
      );
      const timer = setTimeout(() => finish(undefined), lockMs);
      timer.unref();
      const abort = () => {
        cleanUp();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', abort, { once: true });
      function cleanUp() {
        stop();
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
      }
      function finish(end: CallEnd | undefined) {
        cleanUp();
        resolve(end);
      }
      waiting();
      // The holder may have finished between our GET and our listening.
      redis
        .run((commands) => commands.mGet([lockKey, resultKey(holder)]))
        .then(([lock, result]) => {
          if (result !== null) finish({ result: JSON.parse(result) as unknown });
          else if (lock !== holder) finish(undefined);
        })
        .catch((error: unknown) => {
          cleanUp();
          reject(error);
        });
    });
  }

  async function shared<T>(
    operation: 'status' | 'cancel',
    orderId: string,
    call: () => Promise<T>,
    signal?: AbortSignal,
  ) {
    const lockKey = `${redis.prefix}lock:${operation}:${orderId}`;
    for (;;) {
      signal?.throwIfAborted();
      const token = randomUUID();
      const taken = await redis.run((commands) =>
        commands.set(lockKey, token, { condition: 'NX', expiration: { type: 'PX', value: lockMs } }),
      );
      if (taken === 'OK') return hold(lockKey, token, call);
      const end = await awaitHolder(lockKey, () => options.onWait?.(operation, orderId), signal);
      if (end) return end.result as T;
    }
  }

  return {
    generateQr: (input, signal) => client.generateQr(input, signal),
    getStatus: (orderId, signal) => shared('status', orderId, () => client.getStatus(orderId, signal), signal),
    cancel: (input, signal) => shared('cancel', input.orderId, () => client.cancel(input, signal), signal),
    refund: (input, signal) => client.refund(input, signal),
  };
}
