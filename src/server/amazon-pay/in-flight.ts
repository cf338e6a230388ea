/**
 * Amazon Pay calls under way, so that a shutdown can let them finish: a cancel or a refund cut off
 * halfway leaves its outcome unknown until the next process asks again.
 */
import type { AmazonPayClient } from './types.js';

/** A client whose calls under way can be waited for. */
export interface TrackedClient extends AmazonPayClient {
  /** Resolves once no call is under way, or after `ms`, whichever is first; with how many are left. */
  settled(ms: number): Promise<number>;
}

/** `client`, counting its calls under way. */
export function trackCalls(client: AmazonPayClient): TrackedClient {
  const underWay = new Set<Promise<unknown>>();
  function track<T>(call: Promise<T>): Promise<T> {
    underWay.add(call);
    const forget = () => underWay.delete(call);
    call.then(forget, forget);
    return call;
  }
  return {
    generateQr: (input, signal) => track(client.generateQr(input, signal)),
    getStatus: (orderId, signal) => track(client.getStatus(orderId, signal)),
    cancel: (input, signal) => track(client.cancel(input, signal)),
    refund: (input, signal) => track(client.refund(input, signal)),
    async settled(ms) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
      while (underWay.size > 0) {
        const next = Promise.allSettled([...underWay]).then(() => 'done' as const);
        if ((await Promise.race([next, deadline.then(() => 'late' as const)])) === 'late') break;
      }
      clearTimeout(timer);
      return underWay.size;
    },
  };
}
