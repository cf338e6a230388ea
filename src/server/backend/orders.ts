/**
 * The three contract actions on orders: create (idempotent per order id, one Generate-QR call even
 * for concurrent requests), read with an optional long poll, and cancel (one upstream cancel even
 * for concurrent requests). HTTP lives elsewhere; this file speaks records and typed errors.
 */
import type { CancelRequest } from '../../contract/types.js';
import { AmazonPayError, type AmazonPayClient } from '../amazon-pay/types.js';
import { HttpError, orderNotFound } from './errors.js';
import { newJob, withJob, type CancelJob } from './jobs.js';
import { OrderExistsError, type OrderRecord, type OrderStore } from './store.js';
import type { Timers } from './timers.js';
import type { StatusTracker } from './tracker.js';
import type { CreateOrderInput } from './validation.js';
import type { JobCompletion, JobRunner, Worker } from './worker.js';

/** What the `checkOrder` hook is shown before a new QR is asked for. */
export interface OrderCheck {
  orderId: string;
  amount: string;
  storeId?: string;
  terminalId?: string;
}

/**
 * Lets the merchant refuse an order whose amount (or store) does not match its own records; throw
 * an `HttpError` (such as 409 `ORDER_CONFLICT`) with a message for the caller.
 */
export type CheckOrderHook = (order: OrderCheck) => void | Promise<void>;

export interface OrderServiceOptions {
  client: AmazonPayClient;
  store: OrderStore;
  tracker: StatusTracker;
  worker: Worker;
  timers: Timers;
  now: () => number;
  checkOrder?: CheckOrderHook;
  /** Aborted when the backend drains: held long polls are answered at once, and new ones are not held. */
  draining?: AbortSignal;
  /** Told when a long poll starts being held (+1) and when it ends (-1). */
  onHold?: (change: 1 | -1) => void;
}

/**
 * The order service. Each call may be given the stored order as the caller has just read it (to
 * check who may see it), so that a request reads the store once.
 */
export interface OrderService {
  /** The order, and whether this call created it (`false`: the same terms asked again). */
  create(input: CreateOrderInput, known?: OrderRecord): Promise<{ record: OrderRecord; created: boolean }>;
  /** The order now, or after its status changed, `waitSeconds` passed, `signal` aborted or the backend began to drain. */
  read(orderId: string, waitSeconds: number, signal?: AbortSignal, known?: OrderRecord): Promise<OrderRecord>;
  cancel(orderId: string, request: CancelRequest, known?: OrderRecord): Promise<OrderRecord>;
  /** The `cancel` job: sends a cancel whose answer was never recorded, with its first terms. */
  cancelRunner: JobRunner;
}

const QR_DISTRIBUTION = { string: 'QR_STRING', image: 'QR_IMAGE' } as const;

function paise(amount: string) {
  return Math.round(Number(amount) * 100);
}

/** The first way the stored terms differ from the asked ones, or `undefined` when they match. */
function differingTerm(record: OrderRecord, input: CreateOrderInput): string | undefined {
  if (paise(record.amount) !== paise(input.amount)) return `amount ${record.amount}`;
  if (record.expiresIn !== input.expiresIn) return `expiresIn ${record.expiresIn}`;
  if (record.storeId !== input.storeId) return `storeId ${record.storeId ?? '(none)'}`;
  if (record.terminalId !== input.terminalId) return `terminalId ${record.terminalId ?? '(none)'}`;
  const formats = [...input.formats].sort().join(',');
  if ([...record.formats].sort().join(',') !== formats) return `formats ${record.formats.join(', ')}`;
  return undefined;
}

/**
 * Amazon refused the cancel itself (a verified 4xx): it was not made, and repeating it will not
 * make it. Anything else (no answer, a 5xx, an answer that does not verify) leaves its outcome
 * unknown, so the cancel is sent again until Amazon answers.
 */
function isRefused(error: unknown) {
  return error instanceof AmazonPayError && error.kind === 'response' && !error.retryable;
}

/** Runs one `task` per key at a time; callers that come while it runs share its result. */
function singleFlight<T>() {
  const running = new Map<string, Promise<T>>();
  return (key: string, task: () => Promise<T>): Promise<T> => {
    let promise = running.get(key);
    if (!promise) {
      promise = task().finally(() => running.delete(key));
      running.set(key, promise);
    }
    return promise;
  };
}

/** Creates the order actions over a store, an Amazon Pay client and a status tracker. */
export function createOrderService(options: OrderServiceOptions): OrderService {
  const { client, store, tracker, worker, timers, now } = options;
  const creating = singleFlight<OrderRecord>();
  const cancelling = singleFlight<OrderRecord>();

  async function find(orderId: string, known?: OrderRecord) {
    const record = known ?? (await store.get(orderId));
    if (!record) throw orderNotFound(orderId);
    return tracker.settle(record);
  }

  async function resume(existing: OrderRecord, input: CreateOrderInput) {
    const difference = differingTerm(existing, input);
    if (difference) {
      throw new HttpError(
        409,
        'ORDER_CONFLICT',
        `Order ${input.orderId} already exists with ${difference}; use a new order id.`,
      );
    }
    // An order that is over is answered as it ended, never made again: a till that reloads after
    // the customer paid must hear "paid", or the cashier would ask for the money a second time.
    return tracker.settle(existing);
  }

  async function generate(input: CreateOrderInput): Promise<OrderRecord> {
    await options.checkOrder?.({
      orderId: input.orderId,
      amount: input.amount,
      storeId: input.storeId,
      terminalId: input.terminalId,
    });
    const createdAt = now();
    const expiresAt = createdAt + input.expiresIn * 1000;
    const qr = await client.generateQr({
      orderId: input.orderId,
      amount: input.amount,
      expiresAt: new Date(expiresAt),
      distributionTypes: input.formats.map((format) => QR_DISTRIBUTION[format]),
      storeId: input.storeId,
      terminalId: input.terminalId,
    });
    return store.create({
      ...input,
      status: 'pending',
      expiresAt,
      tokenId: qr.tokenId,
      qrString: qr.qrString,
      qrImage: qr.qrImage,
      // Whoever watches it or not, the order is settled with Amazon at its expiry.
      jobs: { settle: newJob(expiresAt) },
      createdAt,
      updatedAt: createdAt,
      version: 1,
    });
  }

  /**
   * Resolves once the stored order satisfies `changed` (as any instance writes it), after `ms`, or
   * when one of `signals` aborts; a change made before the subscription took hold counts too.
   */
  function storedChange(
    orderId: string,
    changed: (record: OrderRecord) => boolean,
    ms: number,
    signals: readonly AbortSignal[] = [],
  ) {
    return new Promise<void>((resolve) => {
      const unsubscribe = store.subscribe(orderId, (next) => {
        if (changed(next)) done();
      });
      const cancelTimer = timers.after(ms, done);
      for (const signal of signals) signal.addEventListener('abort', done, { once: true });
      function done() {
        unsubscribe();
        cancelTimer();
        for (const signal of signals) signal.removeEventListener('abort', done);
        resolve();
      }
      store.get(orderId).then((latest) => (!latest || changed(latest)) && done(), done);
    });
  }

  /**
   * Cancels upstream unless the order is paid or already cancelled. Finding the order unpaid and
   * writing the cancel as a job leased to this instance is one write: from then on a payment is
   * the cancel's to settle (the order cannot read paid while Amazon refunds it), and if this
   * instance dies before Amazon's answer is recorded, the job sends the cancel again. While
   * another instance holds the cancel, its outcome is awaited instead of sending a second cancel
   * with other terms; a cancel waiting for a retry is sent at once, with its first terms.
   */
  async function cancelUpstream(orderId: string, request: CancelRequest): Promise<OrderRecord> {
    for (;;) {
      let turn: 'ours' | 'theirs' | 'over' = 'over';
      let job: CancelJob | undefined;
      const latest = await store.update(orderId, (current) => {
        job = current.jobs?.cancel;
        if (current.status === 'paid' || current.cancel) turn = 'over';
        else if (job?.owner !== undefined && job.dueAt > now()) turn = 'theirs';
        else turn = 'ours';
        if (turn !== 'ours') return undefined;
        job = worker.lease(job ?? { ...newJob(now()), request });
        return { ...current, jobs: withJob(current.jobs, 'cancel', job) };
      });
      if (!latest) throw orderNotFound(orderId);
      if (turn === 'over') return latest;
      if (turn === 'ours') return cancelNow(orderId, job!.request);
      const held = job!;
      await storedChange(
        orderId,
        (next) => next.status === 'paid' || next.cancel !== undefined || next.jobs?.cancel?.owner !== held.owner,
        held.dueAt - now(),
      );
    }
  }

  /** Sends the cancel; resolves with what its answer does to the order. */
  async function sendCancel(orderId: string, request: CancelRequest): Promise<JobCompletion> {
    const result = await client.cancel({ orderId, ...request });
    return (current) => {
      if (current.cancel) return current;
      return {
        ...current,
        status: current.status === 'pending' ? 'cancelled' : current.status,
        amazonChargeId: result.amazonChargeId ?? current.amazonChargeId,
        cancel: { outcome: result.status, refund: request.refund },
      };
    };
  }

  /** A cancel Amazon refused was not made: the order's status is Amazon's to tell, through a check. */
  const refused: JobCompletion = (current) => ({ ...current, jobs: withJob(current.jobs, 'check', newJob(now())) });

  /** The cashier's cancel, leased to this instance: its answer, or its failure left to the job. */
  async function cancelNow(orderId: string, request: CancelRequest): Promise<OrderRecord> {
    let completion: JobCompletion;
    try {
      completion = await sendCancel(orderId, request);
    } catch (error) {
      await (isRefused(error) ? worker.complete(orderId, 'cancel', refused) : worker.fail(orderId, 'cancel', error));
      // A status the cancel held back may be news: the order's truth is Amazon's to tell.
      await tracker.recheck(orderId).catch(() => undefined);
      throw error;
    }
    const updated = (await worker.complete(orderId, 'cancel', completion)) ?? (await store.get(orderId));
    if (!updated) throw orderNotFound(orderId);
    return updated;
  }

  const cancelRunner: JobRunner = async (record) => {
    const request = record.jobs?.cancel?.request;
    if (!request || record.cancel) return (current) => current;
    try {
      return await sendCancel(record.orderId, request);
    } catch (error) {
      if (isRefused(error)) return refused;
      throw error;
    }
  };

  /**
   * Another instance may have created the order between our read and our write. If Amazon has the
   * order and no instance does, an earlier Generate QR answer was lost or refused (a timeout, a
   * forged signature): Amazon has no call that returns that QR again, so the id is spent.
   */
  async function afterLostRace(error: unknown, input: CreateOrderInput) {
    const known = error instanceof AmazonPayError && error.status === 409;
    const lost = error instanceof OrderExistsError || known;
    const existing = lost ? await store.get(input.orderId) : undefined;
    if (existing) return resume(existing, input);
    if (known) {
      throw new HttpError(
        409,
        'ORDER_CONFLICT',
        `Amazon Pay already has order ${input.orderId}, but its QR never reached this backend (an earlier answer was lost); start again with a new order id.`,
      );
    }
    throw error;
  }

  return {
    cancelRunner,
    async create(input, known) {
      const existing = known ?? (await store.get(input.orderId));
      if (existing) return { record: await resume(existing, input), created: false };
      let started = false;
      const flight = creating(input.orderId, () => {
        started = true;
        return generate(input);
      });
      try {
        const record = await flight;
        return started ? { record, created: true } : { record: await resume(record, input), created: false };
      } catch (error) {
        return { record: await afterLostRace(error, input), created: false };
      }
    },

    async read(orderId, waitSeconds, signal, known) {
      const record = await find(orderId, known);
      const { draining, onHold } = options;
      if (record.status !== 'pending' || waitSeconds === 0 || signal?.aborted || draining?.aborted) return record;
      const release = tracker.watch(record);
      onHold?.(1);
      try {
        const stops = [signal, draining].filter((stop) => stop !== undefined);
        await storedChange(orderId, (next) => next.status !== record.status, waitSeconds * 1000, stops);
      } finally {
        onHold?.(-1);
        release();
      }
      return find(orderId);
    },

    async cancel(orderId, request, known) {
      const record = await find(orderId, known);
      if (record.status === 'paid' || record.cancel) return record;
      return cancelling(orderId, () => cancelUpstream(orderId, request));
    },
  };
}
