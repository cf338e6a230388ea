/**
 * One crash run as a seeded script: the orders of a shop's tills (what each till does, what each
 * customer does and whether their notification arrives), an outage of one Amazon Pay API, and
 * the moments at which the backend is SIGKILLed, each followed by some downtime. The same seed
 * always gives the same script, so a failing run can be replayed.
 */
import type { SandboxApi } from '../../../src/server/sandbox/index.js';
import { seededRandom, type Random } from '../../server/support/seeded-random.js';

/**
 * Where the backend can be killed. `<api>:arrived`: the call reached Amazon, which has not acted.
 * `<api>:answered`: Amazon acted and answered, and the backend never hears it. `refund:retry`: a
 * refund call after the Refund API refused one. `cancel:job`: a cancel nobody at a till is waiting
 * for (the backend settling an expired order: a job it holds the lease of). `notification`: as a
 * payment notification is delivered. `idle`: between the script's steps.
 */
export const KILL_POINTS = [
  'generateQr:arrived',
  'generateQr:answered',
  'getStatus:arrived',
  'getStatus:answered',
  'cancel:arrived',
  'cancel:answered',
  'cancel:job',
  'refund:arrived',
  'refund:answered',
  'refund:retry',
  'notification',
  'idle',
] as const;

/** One of `KILL_POINTS`. */
export type KillPoint = (typeof KILL_POINTS)[number];

/** A kill, and how long the backend stays down after it. */
export interface KillPlan {
  point: KillPoint;
  downMs: number;
  /** For `idle`: when, in ms from the run's start. */
  atMs?: number;
}

/** What one till and its customer do with one order. */
export interface OrderPlan {
  orderId: string;
  amount: string;
  /** When the till asks for the QR, in ms from the run's start. */
  startMs: number;
  /**
   * `watch`: long-polls until the order ends. `cancel`: the cashier cancels. `walk-away`: one look,
   * then nobody asks about the order again.
   */
  till: 'watch' | 'cancel' | 'walk-away';
  /** `cancel`: after how long, and whether a payment is to be refunded with it. */
  cancelAfterMs?: number;
  refund?: boolean;
  /**
   * `pay`: while the QR is up. `pay-late`: after the order ended (cancelled or expired), within
   * the backend's follow-up window. `fail`: the bank declines. `none`: the customer walks away.
   */
  customer: 'pay' | 'pay-late' | 'fail' | 'none';
  /** `pay`, `fail`: after the QR was shown; `pay-late`: after the order ended. */
  actAfterMs: number;
  /** Whether the payment notification reaches the backend. */
  notification: 'deliver' | 'lose';
}

/** One run's whole script. */
export interface CrashPlan {
  seed: number;
  run: number;
  orders: OrderPlan[];
  /** Armed one after the other: the next once the backend is back from the previous. */
  kills: KillPlan[];
  outage?: { api: SandboxApi; atMs: number; forMs: number };
}

/** An order that must reach its expiry (60 s, the shortest a QR may live), for kills that need one. */
function expiring(random: Random, orderId: string, unpaid: boolean): Omit<OrderPlan, 'amount' | 'startMs'> {
  const customer = random.pick(unpaid ? (['none', 'pay-late'] as const) : (['none', 'pay-late', 'pay'] as const));
  return {
    orderId,
    till: random.pick(['walk-away', 'watch'] as const),
    customer,
    // A payment before the expiry on an order nobody watches is found when the backend settles it.
    actAfterMs: customer === 'pay' ? random.int(500, 40_000) : random.int(100, 2_500),
    notification: customer === 'pay' ? 'lose' : random.pick(['deliver', 'lose'] as const),
  };
}

/** An order that ends within seconds: paid, cancelled or failed while a till watches. */
function quick(random: Random, orderId: string, needs: { cancel?: boolean; latePayment?: boolean; notify?: boolean }) {
  const story = needs.notify
    ? 'paid'
    : needs.latePayment || needs.cancel
      ? 'cancelled'
      : random.pick(['paid', 'cancelled', 'cancelled', 'failed'] as const);
  if (story === 'paid') {
    return {
      orderId,
      till: 'watch',
      customer: 'pay',
      actAfterMs: random.int(200, 2_000),
      notification: needs.notify ? 'deliver' : random.pick(['deliver', 'deliver', 'lose'] as const),
    } satisfies Omit<OrderPlan, 'amount' | 'startMs'>;
  }
  if (story === 'failed') {
    return {
      orderId,
      till: 'watch',
      customer: 'fail',
      actAfterMs: random.int(200, 2_000),
      notification: 'deliver',
    } satisfies Omit<OrderPlan, 'amount' | 'startMs'>;
  }
  const customer = needs.latePayment ? 'pay-late' : random.pick(['none', 'pay', 'pay-late'] as const);
  return {
    orderId,
    till: 'cancel',
    cancelAfterMs: random.int(200, 2_500),
    refund: needs.latePayment ? true : random.chance(0.7),
    customer,
    actAfterMs: random.int(100, 2_500),
    notification: needs.notify ? 'deliver' : random.pick(['deliver', 'lose'] as const),
  } satisfies Omit<OrderPlan, 'amount' | 'startMs'>;
}

/**
 * The script of run `run` of `seed`. Its first kill is `KILL_POINTS[run % length]`, and the orders
 * are chosen so that point is reached; a second, random kill may follow.
 */
export function crashPlan(seed: number, run: number): CrashPlan {
  const random = seededRandom(seed * 100_003 + run);
  const target = KILL_POINTS[run % KILL_POINTS.length];
  const kills: KillPlan[] = [{ point: target, downMs: random.int(0, 1_500), atMs: random.int(300, 3_000) }];
  if (random.chance(0.4)) {
    const point = random.pick(
      KILL_POINTS.filter((candidate) => candidate.startsWith('getStatus') || candidate === 'idle'),
    );
    kills.push({ point, downMs: random.int(0, 1_500), atMs: random.int(3_000, 8_000) });
  }
  const needs = {
    cancel: target.startsWith('cancel:') && target !== 'cancel:job',
    latePayment: target.startsWith('refund'),
    notify: target === 'notification',
  };
  const prefix = `C${seed.toString(36)}-${run}`;
  const orders: OrderPlan[] = [];
  const count = random.int(1, 3);
  for (let index = 0; index < count; index += 1) {
    const orderId = `${prefix}-${index}`;
    // The backend cancels an order that reached its expiry unpaid: the cancel of a job.
    const jobCancel = index === 0 && target === 'cancel:job';
    const story =
      jobCancel || random.chance(0.15)
        ? expiring(random, orderId, jobCancel)
        : quick(random, orderId, index === 0 ? needs : {});
    orders.push({
      ...story,
      amount: `${random.int(1, 9999)}.${String(random.int(0, 99)).padStart(2, '0')}`,
      startMs: index === 0 ? 0 : random.int(0, 2_000),
    });
  }
  const outage =
    target === 'refund:retry'
      ? { api: 'refund' as const, atMs: 0, forMs: random.int(6_000, 9_000) }
      : random.chance(0.3)
        ? {
            api: random.pick(['getStatus', 'cancel', 'refund'] as const),
            atMs: random.int(0, 3_000),
            forMs: random.int(500, 4_000),
          }
        : undefined;
  return { seed, run, orders, kills, outage };
}
