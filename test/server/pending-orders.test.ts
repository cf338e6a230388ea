import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OrderStatus } from '../../src/contract/types.js';
import type { OrderRecord, PendingCount } from '../../src/server/backend/store.js';
import { PendingOrders } from '../../src/server/backend/pending-orders.js';
import { seededRandom } from './support/seeded-random.js';
import { CONTRACT_NOW, storedOrder } from './support/store-contract.js';

const owned = (orderId: string, terminalId: string, expiresAt: number, status: OrderStatus = 'pending') =>
  storedOrder(orderId, { status, expiresAt, owner: { terminalId, storeId: 'S-1' } });

/** What the memory store answered before it kept an index: a scan of every order it holds. */
function scanned(records: Iterable<OrderRecord>, now: number, terminalId?: string): PendingCount {
  const waiting = [...records].filter(
    (record) =>
      record.status === 'pending' &&
      record.expiresAt > now &&
      (terminalId === undefined || record.owner?.terminalId === terminalId),
  );
  if (waiting.length === 0) return { count: 0 };
  return { count: waiting.length, nextExpiresAt: Math.min(...waiting.map((record) => record.expiresAt)) };
}

describe("the memory store's pending orders", () => {
  it('counts the orders waiting in all and per terminal, with the soonest to expire', () => {
    const pending = new PendingOrders();
    pending.put(owned('A', 'T-1', CONTRACT_NOW + 60_000));
    pending.put(owned('B', 'T-1', CONTRACT_NOW + 30_000));
    pending.put(owned('C', 'T-2', CONTRACT_NOW + 90_000));
    assert.deepEqual(pending.count(CONTRACT_NOW), { count: 3, nextExpiresAt: CONTRACT_NOW + 30_000 });
    assert.deepEqual(pending.count(CONTRACT_NOW, 'T-1'), { count: 2, nextExpiresAt: CONTRACT_NOW + 30_000 });
    assert.deepEqual(pending.count(CONTRACT_NOW, 'T-3'), { count: 0 });
  });

  it('stops counting an order once it ends or its time is up', () => {
    const pending = new PendingOrders();
    pending.put(owned('A', 'T-1', CONTRACT_NOW + 60_000));
    pending.put(owned('B', 'T-1', CONTRACT_NOW + 30_000));
    pending.put(owned('B', 'T-1', CONTRACT_NOW + 30_000, 'paid'));
    assert.deepEqual(pending.count(CONTRACT_NOW, 'T-1'), { count: 1, nextExpiresAt: CONTRACT_NOW + 60_000 });
    assert.deepEqual(pending.count(CONTRACT_NOW + 60_000), { count: 0 });
    assert.deepEqual(pending.count(CONTRACT_NOW + 60_000, 'T-1'), { count: 0 });
  });

  it('answers as a scan of every order would, through thousands of random writes as time passes', () => {
    const pending = new PendingOrders();
    const stored = new Map<string, OrderRecord>();
    const seeded = seededRandom(7);
    const random = (below: number) => seeded.int(0, below - 1);
    const statuses: OrderStatus[] = ['pending', 'pending', 'pending', 'paid', 'expired', 'cancelled'];
    for (let step = 0; step < 5_000; step++) {
      const now = CONTRACT_NOW + step * 100;
      const orderId = `O-${random(400)}`;
      // Mostly the expiry it had; now and then another, already past or to come.
      const known = stored.get(orderId)?.expiresAt;
      const expiresAt = known !== undefined && random(8) > 0 ? known : now + (random(150) - 30) * 1_000;
      const status = statuses[random(statuses.length)];
      const record =
        random(6) === 0
          ? storedOrder(orderId, { status, expiresAt })
          : owned(orderId, `T-${random(5)}`, expiresAt, status);
      stored.set(orderId, record);
      pending.put(record);
      const terminalId = random(2) === 0 ? undefined : `T-${random(6)}`;
      assert.deepEqual(pending.count(now, terminalId), scanned(stored.values(), now, terminalId), `step ${step}`);
    }
  });
});
