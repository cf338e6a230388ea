/**
 * The order store as the metrics see it: every operation timed and its failures counted, and every
 * write that moves an order on (created, paid, expired, cancelled, failed, a late payment and its
 * refund) counted once. A write is made by exactly one instance (the store's version check refuses
 * the others), so across instances each event is counted once in all.
 */
import type { Metrics } from '../metrics.js';
import { OrderExistsError, type OrderRecord, type OrderStore } from './store.js';

/** What changed between two versions of one order, in the metrics' words. */
function countChange(metrics: Metrics, before: OrderRecord, after: OrderRecord) {
  if (before.status === 'pending' && after.status !== 'pending') {
    metrics.orderEnded(after.status, after.status === 'cancelled' ? after.cancel?.outcome : undefined);
  }
  if (!before.latePayment && after.latePayment) metrics.latePayment();
  const refund = after.latePayment?.refundStatus;
  if (refund && refund !== 'Requested' && refund !== before.latePayment?.refundStatus) metrics.refund(refund);
}

/** `store`, timed and counted into `metrics`. */
export function observeStore(store: OrderStore, metrics: Metrics): OrderStore {
  async function timed<T>(operation: string, run: () => Promise<T>, expected?: (error: unknown) => boolean) {
    const started = performance.now();
    let failed = false;
    try {
      return await run();
    } catch (error) {
      failed = !expected?.(error);
      throw error;
    } finally {
      metrics.storeOperation(operation, (performance.now() - started) / 1000, failed);
    }
  }

  return {
    get: (orderId) => timed('get', () => store.get(orderId)),
    async create(record) {
      const created = await timed(
        'create',
        () => store.create(record),
        (error) => error instanceof OrderExistsError,
      );
      metrics.orderCreated();
      return created;
    },
    async update(orderId, change) {
      let before: OrderRecord | undefined;
      const after = await timed('update', () =>
        store.update(orderId, (current) => {
          before = current;
          return change(current);
        }),
      );
      if (before && after && after.version !== before.version) countChange(metrics, before, after);
      return after;
    },
    subscribe: (orderId, listener) => store.subscribe(orderId, listener),
    countPending: (terminalId) => timed('countPending', () => store.countPending(terminalId)),
    due: (until, limit) => timed('due', () => store.due(until, limit)),
  };
}
