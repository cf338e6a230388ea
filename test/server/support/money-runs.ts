/**
 * Seeded, reproducible runs that drive the backend and the sandbox through interleavings of what
 * happens at a till, with the element's own `PaymentSession` taking the payment: the customer pays,
 * the cashier cancels (with and without refund) or asks for the status, the QR expires, the page
 * reloads, goes offline or is hidden, notifications arrive early, late, twice or never, Amazon
 * fails or hangs. After each run the order must have one terminal state that agrees with the
 * sandbox's ledger and with the events the element fired.
 */
import { isFinal } from '../../../src/session/state.js';
import type { FaultSettings } from '../../../src/server/sandbox/index.js';
import { createInProcessStack, type InProcessStack, type InstanceFactory } from './in-process-stack.js';
import type { IpnFate } from './ipn-channel.js';
import { NodePage, inputsFor } from './node-session.js';
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

type Step = 'reload' | 'pay' | 'cancel' | 'check' | 'tick' | 'expire' | 'fault' | 'release' | 'offline' | 'shown';

const STEPS: readonly Step[] = [
  'reload',
  'pay',
  'pay',
  'cancel',
  'check',
  'tick',
  'tick',
  'expire',
  'fault',
  'release',
  'offline',
  'shown',
];
const FATES: readonly IpnFate[] = ['deliver', 'deliver', 'hold', 'duplicate', 'lose'];
/** Runs sharing one stack: few enough that the sandbox's ledger stays small and fast. */
const STACK_RUNS = 200;
/** The clock's steps once the faults are over, and how many the page gets to end the order. */
const END_STEP_MS = 30_000;
const END_STEPS = 40;
const FAULTS: readonly FaultSettings[] = [{ status: 503 }, { status: 500 }, { hang: 1 }, { badSignature: 1 }];

/**
 * Lets the page's requests that the backend answers at once come back and be handled (a held
 * notification may still be waiting: the backend's own work goes on beside the next steps).
 */
async function settle(page: NodePage): Promise<void> {
  for (let calm = 0, turns = 0; calm < 3 && turns < 10_000; turns++) {
    await new Promise((resolve) => setImmediate(resolve));
    calm = page.busy ? 0 : calm + 1;
  }
}

/** Until nothing is on its way: no notification, no Amazon call, no request the backend answers at once. */
async function quiet(stack: InProcessStack, page: NodePage): Promise<void> {
  do {
    await stack.idle();
    await settle(page);
  } while (page.busy);
}

/** One order's run: its steps, some awaited, some left running beside the next ones. */
async function runOnce(stack: InProcessStack, random: Random, orderId: string, log: string[]) {
  const inputs = inputsFor({
    orderId,
    amount: `${random.int(1, 99999)}.${random.int(0, 99)}`.replace(/\.(\d)$/, '.0$1'),
    expiresIn: random.int(60, 120),
  });
  const pages = [new NodePage(stack, random, inputs).open()];
  const page = () => pages[pages.length - 1];
  const running: Promise<unknown>[] = [];
  const shown = () => pages.find((each) => each.shown)?.shown;
  /** A new page for the same order, as after a reload: the backend resumes the same QR. */
  const reload = () => {
    page().session.stop();
    pages.push(new NodePage(stack, random, inputs).open());
  };

  async function step(kind: Step) {
    switch (kind) {
      case 'reload':
        log.push('the page reloads');
        return reload();
      case 'pay': {
        if (!shown()) return;
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
      case 'cancel': {
        const refund = random.chance(0.6);
        log.push(`cashier cancels, refund=${refund} (${page().session.state.kind})`);
        return page()
          .session.cancel({ refund })
          .then(
            (view) => log.push(`cancel → ${view.status}`),
            (error: Error) => log.push(`cancel → ${error.message}`),
          );
      }
      case 'check':
        log.push('cashier checks the status');
        return page().session.checkStatus();
      case 'tick': {
        const ms = random.int(0, 90_000);
        stack.advance(ms);
        log.push(`clock +${ms} ms (${page().session.state.kind})`);
        return settle(page());
      }
      case 'expire': {
        const qr = shown();
        if (!qr) return;
        const late = Date.parse(qr.expiresAt) + random.int(0, 3000) - stack.now();
        if (late > 0) stack.advance(late);
        log.push(`QR expires (${page().session.state.kind})`);
        return settle(page());
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
      case 'offline': {
        const online = random.chance(0.5);
        log.push(online ? 'the page is back online' : 'the page goes offline');
        return page().setOnline(online);
      }
      case 'shown':
        log.push('the page is shown again');
        return page().show();
    }
  }

  const steps: Step[] = Array.from({ length: random.int(3, 12) }, () => random.pick(STEPS));
  for (const kind of steps) {
    const task = step(kind);
    // A cancel past the deadline waits for the backend's answer: it runs beside the next steps.
    if (kind === 'cancel' || random.chance(0.4)) running.push(task);
    else await task;
  }

  // The end of the day: faults stop, every notification arrives, the page is online, and the clock
  // goes on until the page has ended the order (a cashier presses retry after an error).
  stack.sandbox.faults.clear();
  stack.ipn.fate = 'deliver';
  stack.ipn.release();
  page().setOnline(true);
  await quiet(stack, page());
  for (let turn = 0; turn < END_STEPS && !isFinal(page().session.state); turn++) {
    const { state } = page().session;
    if (state.kind === 'error') {
      // A refusal is the cashier's to read: there is no retry button.
      if (!state.error.retryable) break;
      log.push(`the cashier presses retry after ${state.error.code}`);
      page().session.retry();
    }
    stack.advance(END_STEP_MS);
    await quiet(stack, page());
  }
  log.push(`the page ends ${page().session.state.kind}`);
  page().session.stop();
  await Promise.all(running);
  // Long enough for every follow-up check and refund retry the backend scheduled.
  stack.advance(10 * 60_000);
  await stack.idle();
  return check(stack, orderId, pages, shown() !== undefined);
}

/** Every way the order's end disagrees with the money or with what the element announced. */
async function check(stack: InProcessStack, orderId: string, pages: NodePage[], shown: boolean) {
  const problems: string[] = [];
  // Reading the order settles one left pending past its expiry, as any caller's read would.
  const answer = await stack.call('GET', `/qr/${orderId}`);
  const view = answer.body as { status?: string; cancel?: { outcome?: string } };
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
  const last = pages[pages.length - 1];
  const { state } = last.session;
  // A page loaded once the order was over hears how it ended: a refusal would send the cashier
  // after money the customer already paid. One refusal stands: a reload that reached Amazon while
  // another instance's Generate QR for the order was still on its way, whose QR nobody saw.
  const refusal = state.kind === 'error' && state.error.code === 'ORDER_CONFLICT' ? state.error.message : undefined;
  if (refusal !== undefined && !/its QR never reached this backend/.test(refusal)) {
    problems.push(`the last page was refused with "${refusal}" but the order is ${record.status}`);
  } else if (refusal === undefined && shown && last.terminal.length !== 1) {
    problems.push(`the last page fired ${last.fired.join(', ') || 'nothing'}`);
  }
  pages.forEach((page, index) => {
    const [end, ...more] = page.terminal;
    if (more.length > 0) problems.push(`page ${index + 1} fired ${page.terminal.join(', ')}`);
    if (end === 'paid' && record.status !== 'paid') {
      problems.push(`page ${index + 1} announced paid but the order is ${record.status}`);
    }
    if (end && end !== 'paid' && record.status === 'paid') {
      problems.push(`page ${index + 1} fired ${end} but the order is ${record.status}`);
    }
  });
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
        await stack.close();
        stack = await createInProcessStack({ instances: options.instances, clientTimeoutMs: 10 });
      }
      stack.errors.length = 0;
      const random = seededRandom(options.seed * 100_003 + run);
      const log: string[] = [];
      const problems = await runOnce(stack, random, `M${options.seed.toString(36)}-${run}`, log);
      if (problems.length > 0) throw new MoneyRunFailure(options.seed, run, problems, log);
    }
  } finally {
    await stack.close();
  }
}
