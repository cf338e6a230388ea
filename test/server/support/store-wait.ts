import type { OrderRecord, OrderStore } from '../../../src/server/backend/index.js';

/**
 * The order's record once `done` holds for it, as the store tells its listeners; fails after
 * `guardMs` (the backend's timers are unref'd, so this one also holds the test open).
 */
export function until(
  store: OrderStore,
  orderId: string,
  done: (record: OrderRecord) => boolean,
  guardMs = 2000,
): Promise<OrderRecord> {
  return new Promise<OrderRecord>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`order ${orderId} never got there`)), guardMs);
    const stop = store.subscribe(orderId, (record) => {
      if (!done(record)) return;
      clearTimeout(guard);
      stop();
      resolve(record);
    });
  });
}

/**
 * Resolves once something subscribes to `orderId` in `store` (a held long poll, for one), as the
 * test's own store tells; the store is left as it was.
 */
export function subscribed(store: OrderStore, orderId: string): Promise<void> {
  const subscribe = store.subscribe;
  return new Promise<void>((resolve) => {
    store.subscribe = (id, listener) => {
      if (id === orderId) {
        store.subscribe = subscribe;
        resolve();
      }
      return subscribe.call(store, id, listener);
    };
  });
}
