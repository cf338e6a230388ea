import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OrderExistsError, type OrderRecord, type OrderStore } from '../../../src/server/backend/store.js';

/** Two handles on one store's data, as two backend instances would hold (the same store for memory). */
export interface StoreHandles {
  stores: [OrderStore, OrderStore];
  close(): Promise<void>;
}

/** The store's clock in the contract: fixed, near real time so Redis expiry stays in the future. */
export const CONTRACT_NOW = Date.now();

/** A pending order as the backend stores it right after Amazon generated its QR. */
export function storedOrder(orderId: string, overrides: Partial<OrderRecord> = {}): OrderRecord {
  return {
    orderId,
    amount: '249.00',
    currency: 'INR',
    expiresIn: 120,
    formats: ['string'],
    status: 'pending',
    expiresAt: CONTRACT_NOW + 120_000,
    tokenId: `token-${orderId}`,
    qrString: `upi://pay?tr=${orderId}&am=249.00`,
    createdAt: CONTRACT_NOW,
    updatedAt: CONTRACT_NOW,
    version: 1,
    ...overrides,
  };
}

/** Resolves with the next `count` records `store` reports for `orderId`. */
function nextWrites(store: OrderStore, orderId: string, count: number) {
  const seen: OrderRecord[] = [];
  return new Promise<OrderRecord[]>((resolve) => {
    const stop = store.subscribe(orderId, (record) => {
      seen.push(record);
      if (seen.length < count) return;
      stop();
      resolve(seen);
    });
  });
}

const countAttempt = (current: OrderRecord): OrderRecord => ({
  ...current,
  jobs: { refund: { dueAt: CONTRACT_NOW, attempts: (current.jobs?.refund?.attempts ?? 0) + 1 } },
});

/**
 * What the backend relies on from any `OrderStore`, written once and run against each store:
 * `open` gives two handles on shared data whose clock is `CONTRACT_NOW` (or a reason to skip).
 * A listener hears every write made after it subscribed (a shared store may also deliver one made
 * just before), so each test subscribes before the writes it listens for.
 */
export function orderStoreContract(name: string, open: () => Promise<StoreHandles | string>) {
  describe(`order store contract: ${name}`, () => {
    let handles: StoreHandles | undefined;
    let skip: string | undefined;
    before(async () => {
      const opened = await open();
      if (typeof opened === 'string') skip = opened;
      else handles = opened;
    });
    after(() => handles?.close());
    const contract = (title: string, body: (a: OrderStore, b: OrderStore) => Promise<void>) =>
      it(title, async (t) => {
        if (!handles) return t.skip(skip);
        await body(...handles.stores);
      });

    contract('knows nothing of an order never created', async (a) => {
      assert.equal(await a.get('NEVER-1'), undefined);
      assert.equal(await a.update('NEVER-1', countAttempt), undefined);
    });

    contract('gives every instance the record exactly as created', async (a, b) => {
      const record = storedOrder('C-1', { storeId: 'S1', terminalId: 'T1', qrImage: 'iVBORw0KGgo=' });
      assert.deepEqual(await a.create(record), record);
      assert.deepEqual(await b.get('C-1'), record);
    });

    contract('refuses a second create of one order id, keeping the first', async (a, b) => {
      await a.create(storedOrder('C-2'));
      await assert.rejects(b.create(storedOrder('C-2', { amount: '1.00' })), OrderExistsError);
      assert.equal((await a.get('C-2'))?.amount, '249.00');
    });

    contract('writes a change with the next version and the time of the write', async (a, b) => {
      await a.create(storedOrder('U-1', { updatedAt: CONTRACT_NOW - 5_000 }));
      const paid = await b.update('U-1', (current) => ({ ...current, status: 'paid', amazonChargeId: 'CH-1' }));
      assert.deepEqual(paid, { ...storedOrder('U-1'), status: 'paid', amazonChargeId: 'CH-1', version: 2 });
      assert.deepEqual(await a.get('U-1'), paid);
    });

    contract('leaves the record and tells nobody when the change returns undefined', async (a, b) => {
      const writes = nextWrites(b, 'U-2', 2);
      await a.create(storedOrder('U-2'));
      assert.equal((await a.update('U-2', () => undefined))?.version, 1);
      await a.update('U-2', countAttempt);
      assert.deepEqual(
        (await writes).map((record) => record.version),
        [1, 2],
      );
    });

    contract('loses no update when instances write one order at the same time', async (a, b) => {
      await a.create(storedOrder('U-3'));
      const writers = Array.from({ length: 20 }, (_, index) => (index % 2 ? a : b).update('U-3', countAttempt));
      const results = await Promise.all(writers);
      const final = await a.get('U-3');
      assert.equal(final?.jobs?.refund?.attempts, 20);
      assert.equal(final?.version, 21);
      assert.deepEqual(
        results.map((record) => record?.version).sort((x = 0, y = 0) => x - y),
        Array.from({ length: 20 }, (_, index) => index + 2),
      );
    });

    contract("tells each instance's listeners every write of their order, in order", async (a, b) => {
      const onB = nextWrites(b, 'S-1', 3);
      const onA = nextWrites(a, 'S-1', 3);
      const otherOrder = nextWrites(b, 'S-2', 1);
      await a.create(storedOrder('S-1'));
      await b.update('S-1', countAttempt);
      await a.update('S-1', (current) => ({ ...current, status: 'paid' }));
      await b.create(storedOrder('S-2'));
      for (const writes of [await onA, await onB]) {
        assert.deepEqual(
          writes.map((record) => [record.version, record.status]),
          [
            [1, 'pending'],
            [2, 'pending'],
            [3, 'paid'],
          ],
        );
        assert.deepEqual(writes[2], await a.get('S-1'));
      }
      assert.equal((await otherOrder)[0].orderId, 'S-2');
    });

    contract('counts the orders still payable, in all and per owner, as any instance wrote them', async (a, b) => {
      const before = (await a.countPending()).count;
      const owner = { terminalId: `T-${CONTRACT_NOW}`, storeId: 'S1' };
      await a.create(storedOrder('P-1', { owner, expiresAt: CONTRACT_NOW + 60_000 }));
      await b.create(storedOrder('P-2', { owner, expiresAt: CONTRACT_NOW + 30_000 }));
      await a.create(storedOrder('P-3', { expiresAt: CONTRACT_NOW + 90_000 }));
      await b.create(storedOrder('P-4', { owner, expiresAt: CONTRACT_NOW - 1 }));
      await a.create(storedOrder('P-5', { owner, status: 'paid' }));
      assert.deepEqual(await b.countPending(owner.terminalId), { count: 2, nextExpiresAt: CONTRACT_NOW + 30_000 });
      assert.equal((await a.countPending()).count, before + 3);
      await b.update('P-2', (current) => ({ ...current, status: 'cancelled' }));
      assert.deepEqual(await a.countPending(owner.terminalId), { count: 1, nextExpiresAt: CONTRACT_NOW + 60_000 });
      assert.deepEqual(await a.countPending('T-NOBODY'), { count: 0 });
    });

    contract(
      'finds the orders with a job due, earliest first, and forgets an order once it owes nothing',
      async (a, b) => {
        const job = (dueAt: number) => ({ dueAt, attempts: 0 });
        await a.create(storedOrder('D-1', { jobs: { settle: job(CONTRACT_NOW + 3_000) } }));
        await a.create(
          storedOrder('D-2', { jobs: { refund: job(CONTRACT_NOW + 1_000), settle: job(CONTRACT_NOW + 5_000) } }),
        );
        await a.create(storedOrder('D-3'));
        const mine = async (until: number, limit = 10) =>
          (await b.due(until, limit)).filter((entry) => entry.orderId.startsWith('D-'));
        assert.deepEqual(await mine(CONTRACT_NOW + 10_000), [
          { orderId: 'D-2', dueAt: CONTRACT_NOW + 1_000 },
          { orderId: 'D-1', dueAt: CONTRACT_NOW + 3_000 },
        ]);
        assert.deepEqual(await mine(CONTRACT_NOW + 2_000), [{ orderId: 'D-2', dueAt: CONTRACT_NOW + 1_000 }]);
        await b.update('D-2', ({ jobs, ...current }) => ({ ...current, jobs: { settle: jobs!.settle! } }));
        await b.update('D-1', ({ jobs: _, ...current }) => current);
        assert.deepEqual(await mine(CONTRACT_NOW + 10_000), [{ orderId: 'D-2', dueAt: CONTRACT_NOW + 5_000 }]);
      },
    );

    contract('stops telling a listener once it unsubscribes', async (a, b) => {
      const heard: number[] = [];
      const stop = b.subscribe('S-3', (record) => heard.push(record.version));
      const created = nextWrites(b, 'S-3', 1);
      await a.create(storedOrder('S-3'));
      await created;
      stop();
      const updated = nextWrites(b, 'S-3', 1);
      await a.update('S-3', countAttempt);
      await updated;
      assert.deepEqual(heard, [1]);
    });
  });
}
