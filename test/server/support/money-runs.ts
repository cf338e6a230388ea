/**
 * Seeded, reproducible runs that drive the backend and the sandbox through interleavings of what
 * happens at a till: the customer pays, the cashier cancels (with and without refund), the QR
 * expires, notifications arrive early, late, twice or never, Amazon fails or hangs, the element
 * retries, reloads and long-polls. After each run the order must have one terminal state that
 * agrees with the sandbox's ledger and with what the element would have announced.
 */
import type { OrderView } from '../../../src/contract/types.js';
import type { FaultSettings } from '../../../src/server/sandbox/index.js';
import { ElementWatcher } from './element-watcher.js';
import { createInProcessStack, type InProcessStack, type InstanceFactory } from './in-process-stack.js';
import type { IpnFate } from './ipn-channel.js';
import { seededRandom, type Random } from './seeded-random.js';

/** How many runs, from which seed, against which backend instances. */
export interface MoneyRunOptions {
  runs: number;
  seed: number;
  /**
   * Replays this run of the seed, after the runs before it that share its stack (the clock, the
   * sandbox's ledger and the instances' turns carry over from run to run).
   */
  only?: number;
  /** The backend instances sharing one store; default one on the memory store. */
  instances?: readonly InstanceFactory[];
}

/** A run that broke an invariant: everything needed to read and replay it. */
export class MoneyRunFailure extends Error {
  override readonly name = 'MoneyRunFailure';
  constructor(
    readonly seed: number,
    readonly run: number,
    problems: string[],
    log: string[],
  ) {
    super(
      `Run ${run} of seed ${seed} (replay: MONEY_SEED=${seed} MONEY_RUN=${run}) broke:\n  - ${problems.join('\n  - ')}\nSteps:\n  ${log.join('\n  ')}`,
    );
  }
}

type Step = 'create' | 'pay' | 'cancel' | 'poll' | 'get' | 'tick' | 'expire' | 'fault' | 'release';

const STEPS: readonly Step[] = [
  'create',
  'pay',
  'pay',
  'cancel',
  'poll',
  'poll',
  'get',
  'tick',
  'expire',
  'fault',
  'release',
];
const FATES: readonly IpnFate[] = ['deliver', 'deliver', 'hold', 'duplicate', 'lose'];
/** Runs sharing one stack: few enough that the sandbox's ledger stays small and fast. */
const STACK_RUNS = 200;
/** Expiry attempts the element gets once the faults are over: one should do. */
const SETTLE_ATTEMPTS = 3;
const FAULTS: readonly FaultSettings[] = [{ status: 503 }, { status: 500 }, { hang: 1 }, { badSignature: 1 }];

/** One order's run: its steps, some awaited, some left running beside the next ones. */
async function runOnce(stack: InProcessStack, random: Random, orderId: string, log: string[]): Promise<string[]> {
  const element = new ElementWatcher();
  const running: Promise<unknown>[] = [];
  const polls: AbortController[] = [];
  let shown: OrderView | undefined;
  const terms = {
    orderId,
    amount: `${random.int(1, 99999)}.${random.int(0, 99)}`.replace(/\.(\d)$/, '.0$1'),
    currency: 'INR',
    expiresIn: random.int(60, 120),
  };

  const see = (answer: { status: number; body: Record<string, unknown> }) => {
    if (answer.status >= 300) return false;
    const view = answer.body as unknown as OrderView;
    if (view.status === 'pending' && (view.qrString || view.qrImage)) shown ??= view;
    element.view(view);
    return true;
  };
  const note = (what: string) => (answer: { status: number; body: Record<string, unknown> }) => {
    log.push(`${what} → ${answer.status} ${String(answer.body.status ?? answer.body.code)}`);
    return answer;
  };

  const create = () => stack.call('POST', '/qr', terms).then(note('POST /qr')).then(see);
  const get = () => stack.call('GET', `/qr/${orderId}`).then(note('GET')).then(see);
  async function cancel(reason: 'USER_CANCELLATION' | 'SESSION_EXPIRED', refund: boolean) {
    element.cancel(reason);
    const answer = note(`cancel ${reason} refund=${refund}`)(
      await stack.call('POST', `/qr/${orderId}/cancel`, { reason, refund }),
    );
    if (!see(answer)) element.cancelFailed();
  }
  /**
   * One attempt of the element's expiry: a last status check, then its own cancel with a refund.
   * Without an answer it stays expiring and tries again (at a later step here), never ending blind.
   */
  async function expire() {
    element.deadline();
    if (!(await get())) return;
    if (element.state.kind === 'expiring') await cancel('SESSION_EXPIRED', true);
  }

  async function step(kind: Step) {
    switch (kind) {
      case 'create':
        element.request();
        return create();
      case 'pay': {
        if (!shown) return;
        const fate = random.pick(FATES);
        stack.ipn.fate = fate;
        try {
          stack.sandbox.pay(orderId);
          log.push(`customer pays (IPN ${fate})`);
        } catch (error) {
          log.push(`customer cannot pay: ${(error as Error).message}`);
        }
        return;
      }
      case 'cancel':
        if (!element.waiting) return;
        return cancel('USER_CANCELLATION', random.chance(0.6));
      case 'poll': {
        if (!element.waiting) return;
        // A long poll runs beside the following steps until an answer changes it or the run ends.
        const controller = new AbortController();
        polls.push(controller);
        running.push(
          stack.call('GET', `/qr/${orderId}?wait=30`, undefined, controller.signal).then(note('long poll')).then(see),
        );
        return;
      }
      case 'get':
        return get();
      case 'tick': {
        const ms = random.int(0, 90_000);
        stack.advance(ms);
        log.push(`clock +${ms} ms`);
        return;
      }
      case 'expire': {
        if (!shown) return;
        const late = Date.parse(shown.expiresAt) + random.int(0, 3000) - stack.now();
        if (late > 0) stack.advance(late);
        log.push('QR expires');
        return element.waiting ? expire() : undefined;
      }
      case 'fault': {
        const fault = random.pick(FAULTS);
        stack.sandbox.faults.set(fault);
        log.push(`fault ${JSON.stringify(fault)}`);
        return;
      }
      case 'release':
        log.push('held notifications arrive');
        stack.ipn.release();
        return;
    }
  }

  const steps: Step[] = ['create', ...Array.from({ length: random.int(3, 12) }, () => random.pick(STEPS))];
  for (const kind of steps) {
    const task = step(kind);
    if (random.chance(0.4)) running.push(task);
    else await task;
  }

  // The end of the day: faults stop, every notification arrives, everybody's answer is in.
  stack.sandbox.faults.clear();
  stack.ipn.fate = 'deliver';
  stack.ipn.release();
  await stack.idle();
  for (const poll of polls) poll.abort();
  await Promise.all(running);
  await stack.idle();
  if (shown) {
    const past = Date.parse(shown.expiresAt) + 1000 - stack.now();
    if (past > 0) stack.advance(past);
  }
  if (!shown && element.state.kind === 'requesting') await create();
  // With the faults over, the element's next tries get their answer.
  for (let attempt = 0; attempt < SETTLE_ATTEMPTS && element.waiting; attempt++) await expire();
  await stack.idle();
  // Long enough for every follow-up check and refund retry the backend scheduled.
  stack.advance(10 * 60_000);
  await stack.idle();
  return check(stack, orderId, element, shown !== undefined);
}

/** Every way the order's end disagrees with the money or with what the element announced. */
async function check(stack: InProcessStack, orderId: string, element: ElementWatcher, shown: boolean) {
  const problems: string[] = [];
  // Reading the order settles one left pending past its expiry, as any caller's read would.
  const answer = await stack.call('GET', `/qr/${orderId}`);
  const view = answer.body as unknown as OrderView;
  const record = await stack.store.get(orderId);
  const ledger = stack.sandbox.order(orderId);
  const charged = ledger?.charge !== undefined;
  const refunded = (ledger?.refunds.length ?? 0) > 0;
  if (!record) {
    if (charged) problems.push('the sandbox charged an order the backend does not know');
    return problems;
  }
  if (answer.status !== 200 || view.status !== record.status) {
    problems.push(`the view says ${answer.status} ${view.status}, the store ${record.status}`);
  }
  const keptOnPurpose = record.cancel?.outcome === 'RefundApplicableButNotRequested' && record.cancel.refund === false;
  if (record.status === 'pending') problems.push('the order never reached a terminal state');
  if (record.status === 'paid' && !charged) problems.push('reported paid without a charge in the sandbox');
  if (record.status === 'paid' && refunded) problems.push('reported paid although the charge was refunded');
  if (record.status !== 'paid' && charged && !refunded && !keptOnPurpose) {
    problems.push(`${record.status} while the customer's charge is neither refunded nor reported as kept`);
  }
  if (keptOnPurpose && view.cancel?.outcome !== 'RefundApplicableButNotRequested') {
    problems.push('a kept charge is not reported in the view');
  }
  if (problems.length > 0) {
    problems.push(`order: ${JSON.stringify({ ...record, qrString: undefined })}`);
    problems.push(`ledger: ${JSON.stringify({ ...ledger, qrString: undefined })}`);
    problems.push(
      `background errors: ${stack.errors.map(({ context, error }) => `${context}: ${String(error)}`).join('; ')}`,
    );
  }
  if (shown) {
    if (element.fired.length !== 1) problems.push(`the element fired ${element.fired.join(', ') || 'nothing'}`);
    if (element.fired[0] === 'paid' && record.status !== 'paid') {
      problems.push(`the element announced paid but the order is ${record.status}`);
    }
    if (record.status === 'paid' && element.fired[0] !== 'paid') {
      problems.push(`the element fired ${element.fired[0]} but the order is ${record.status}`);
    }
  }
  return problems;
}

/** Runs `options.runs` seeded runs; throws a `MoneyRunFailure` at the first broken invariant. */
export async function runMoneyRuns(options: MoneyRunOptions): Promise<void> {
  let stack = await createInProcessStack({ instances: options.instances, clientTimeoutMs: 10 });
  try {
    const first = options.only === undefined ? 0 : options.only - (options.only % STACK_RUNS);
    const last = options.only ?? options.runs - 1;
    for (let run = first; run <= last; run += 1) {
      if (run > 0 && run % STACK_RUNS === 0) {
        stack.close();
        stack = await createInProcessStack({ instances: options.instances, clientTimeoutMs: 10 });
      }
      stack.errors.length = 0;
      const random = seededRandom(options.seed * 100_003 + run);
      const log: string[] = [];
      const problems = await runOnce(stack, random, `M${options.seed.toString(36)}-${run}`, log);
      if (problems.length > 0) throw new MoneyRunFailure(options.seed, run, problems, log);
    }
  } finally {
    stack.close();
  }
}
