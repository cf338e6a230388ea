/**
 * One Amazon Pay call per order at a time across every instance. Without it, an IPN landing on one
 * instance and long polls held on three others make four Get-status calls, and two terminals
 * cancelling at once make two upstream cancels. The first instance takes a short lock
 * (`SET NX PX`) and makes the call; the others wait for its answer (published on the shared
 * channel) and return that same verified answer. If the holder fails, or dies and its lock expires,
 * a waiter takes the lock and calls Amazon itself: nobody is ever answered without Amazon.
 *
 * A cancel is final, so its answer is also remembered for `lockMs`: a cancel arriving just after
 * another finished (before that instance wrote it to the order) gets the same answer instead of
 * cancelling twice. A status answer is never reused by a check that starts after it came.
 */
import { randomUUID } from 'node:crypto';
import type { AmazonPayClient } from '../amazon-pay/types.js';
import type { RedisConnection } from './redis-connection.js';

/** The calls made once per order across instances. */
export type SharedOperation = 'status' | 'cancel';

/** Options of `shareUpstreamCalls`. */
export interface UpstreamLockOptions {
  /**
   * How long a lock outlives a holder that stopped answering, and how long a cancel's answer is
   * remembered, in milliseconds. Longer than one Amazon Pay call with its retries. Default 15 s.
   */
  lockMs?: number;
  /** Called when a call waits for another instance's answer instead of asking Amazon (for metrics). */
  onWait?: (operation: SharedOperation, orderId: string) => void;
}

/** What the holder publishes when it is done: Amazon's answer, or nothing when its call failed. */
interface CallEnd {
  result?: unknown;
}

const REMEMBERED: Record<SharedOperation, boolean> = { status: false, cancel: true };

// KEYS: lock, remembered answer. ARGV: token, lock ms, remember ('1' or '').
// Answers {'done', answer}, {'taken'} or {'held', holder token or '' when it just expired}.
const ACQUIRE = `
if ARGV[3] == '1' then
  local answer = redis.call('get', KEYS[2])
  if answer then return {'done', answer} end
end
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'taken'} end
return {'held', redis.call('get', KEYS[1]) or ''}`;

// KEYS: lock, answer of this call, remembered answer.
// ARGV: token, answer JSON or '', ttl ms, channel, message, remember ('1' or '').
const RELEASE = `
if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
if ARGV[2] ~= '' then
  redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3])
  if ARGV[6] == '1' then redis.call('set', KEYS[3], ARGV[2], 'PX', ARGV[3]) end
end
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
  const callKey = (token: string) => `${redis.prefix}call:${token}`;

  async function hold<T>(keys: string[], token: string, remember: boolean, call: () => Promise<T>): Promise<T> {
    let end: CallEnd = {};
    try {
      const result = await call();
      end = { result };
      return result;
    } finally {
      const answer = 'result' in end ? JSON.stringify(end.result) : '';
      const message = redis.message('call', token, end);
      // Amazon's answer stands even if Redis fails now: the lock then simply expires.
      await redis
        .run((commands) =>
          commands.eval(RELEASE, {
            keys,
            arguments: [token, answer, String(lockMs), redis.channel, message, remember ? '1' : ''],
          }),
        )
        .catch(() => undefined);
    }
  }

  /** Waits for the holder's call to end; `undefined` when the caller should try the lock again. */
  function awaitHolder(
    lockKey: string,
    holder: string,
    waiting: () => void,
    signal?: AbortSignal,
  ): Promise<CallEnd | undefined> {
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
      // The holder may have finished (or failed) before we listened.
      redis
        .run((commands) => commands.mGet([lockKey, callKey(holder)]))
        .then(([lock, answer]) => {
          if (answer !== null) finish({ result: JSON.parse(answer) as unknown });
          else if (lock !== holder) finish(undefined);
        })
        .catch((error: unknown) => {
          cleanUp();
          reject(error);
        });
    });
  }

  async function shared<T>(operation: SharedOperation, orderId: string, call: () => Promise<T>, signal?: AbortSignal) {
    const lockKey = `${redis.prefix}lock:${operation}:${orderId}`;
    const rememberedKey = `${redis.prefix}answer:${operation}:${orderId}`;
    const remember = REMEMBERED[operation];
    for (;;) {
      signal?.throwIfAborted();
      const token = randomUUID();
      const [state, value] = (await redis.run((commands) =>
        commands.eval(ACQUIRE, {
          keys: [lockKey, rememberedKey],
          arguments: [token, String(lockMs), remember ? '1' : ''],
        }),
      )) as [string, string?];
      if (state === 'done') return JSON.parse(value as string) as T;
      if (state === 'taken') return hold([lockKey, callKey(token), rememberedKey], token, remember, call);
      if (!value) continue;
      const end = await awaitHolder(lockKey, value, () => options.onWait?.(operation, orderId), signal);
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
