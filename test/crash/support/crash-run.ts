/**
 * Plays one crash plan against a production-mode backend in its own process: tills ask for QRs,
 * long-poll, cancel and walk away; customers pay, pay late or fail, their notifications arriving
 * or lost; one Amazon Pay API fails for seconds; the backend is SIGKILLed where the plan says and
 * started again. Then everything settles, the backend is stopped, and its records are reconciled
 * with the sandbox's ledger.
 */
import type { OrderView } from '../../../src/contract/types.js';
import { TERMINAL_STATUSES } from '../../../src/contract/types.js';
import type { OrderRecord } from '../../../src/server/backend/store.js';
import type { SandboxOrder } from '../../../src/server/sandbox/index.js';
import { toPaise } from '../../../src/server/sandbox/ledger.js';
import { LAST_FOLLOW_UP_MS, productionStack, type StackStore } from '../../server/support/process/production-stack.js';
import type { CrashPlan, KillPlan, KillPoint, OrderPlan } from './crash-plan.js';

/** What a run did, for the coverage of kill points. */
export interface CrashRunResult {
  killed: KillPoint[];
  ms: number;
  /** What happened, step by step. */
  log: string[];
}

/** A run whose records disagree with the money: what broke, the plan and what happened. */
export class CrashRunFailure extends Error {
  override readonly name = 'CrashRunFailure';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
const isFinal = (view: OrderView | undefined) => view !== undefined && TERMINAL_STATUSES.includes(view.status);

/** What one till saw of its order. */
interface TillState {
  plan: OrderPlan;
  /** The QR as first shown; every resume must show the same. */
  shown?: { qrString?: string; expiresAt: string };
  /** Amazon made the QR but its answer never reached the backend: nobody can see it, nobody pays. */
  lost: boolean;
  ended: boolean;
  sawPaid: boolean;
}

/** Runs `plan` on `store`; resolves with the kill points reached, rejects with a `CrashRunFailure`. */
export async function crashRun(plan: CrashPlan, store: StackStore, replay: string): Promise<CrashRunResult> {
  const started = Date.now();
  const stack = await productionStack({ store });
  const { sandbox, hooks } = stack.sandbox;
  const log: string[] = [];
  const note = (line: string) => log.push(`${((Date.now() - started) / 1000).toFixed(2)}s ${line}`);
  const problems: string[] = [];
  const killed: KillPoint[] = [];
  const tills = new Map<string, TillState>(
    plan.orders.map((order) => [order.orderId, { plan: order, lost: false, ended: false, sawPaid: false }]),
  );
  /** Orders whose refund the Refund API refused, for `refund:retry`. */
  const refusedRefunds = new Set<string>();
  /** Orders a cashier's cancel is waiting on, to tell a job's cancel from theirs. */
  const cashierCancels = new Set<string>();
  let next = 0;
  let down = false;
  let restarted: Promise<void> = Promise.resolve();
  let idleTimer: NodeJS.Timeout | undefined;

  const armed = (): KillPlan | undefined => (down ? undefined : plan.kills[next]);

  function arm() {
    clearTimeout(idleTimer);
    const kill = armed();
    if (kill?.point === 'idle') {
      idleTimer = setTimeout(() => void killAt('idle'), Math.max(50, (kill.atMs ?? 0) - (Date.now() - started)));
    }
  }

  /** Kills the backend for the armed kill; it starts again after the planned downtime. */
  async function killAt(point: KillPoint) {
    const kill = armed();
    if (!kill || kill.point !== point) return;
    down = true;
    next += 1;
    killed.push(point);
    note(`SIGKILL at ${point}, down for ${kill.downMs} ms`);
    // The restart is known before the kill is awaited: the end of the day waits for it.
    const dead = stack.backend.kill();
    restarted = (async () => {
      await dead;
      await sleep(kill.downMs);
      await stack.backend.start();
      note('backend started again');
      down = false;
      arm();
      await Promise.all([...tills.values()].map((till) => resume(till)));
    })();
    restarted.catch((error: unknown) => problems.push(`restart failed: ${String(error)}`));
    await dead;
  }

  hooks.arrived = async (call) => {
    const kill = armed();
    if (!kill) return;
    const point: KillPoint | undefined =
      kill.point === `${call.api}:arrived`
        ? kill.point
        : kill.point === 'refund:retry' && call.api === 'refund' && refusedRefunds.has(call.orderId ?? '')
          ? 'refund:retry'
          : kill.point === 'cancel:job' && call.api === 'cancel' && !cashierCancels.has(call.orderId ?? '')
            ? 'cancel:job'
            : undefined;
    if (!point) return;
    await killAt(point);
    return 'hold';
  };
  hooks.answered = async (call, status) => {
    if (call.api === 'refund' && status >= 500 && call.orderId) refusedRefunds.add(call.orderId);
    if (armed()?.point !== `${call.api}:answered`) return;
    await killAt(`${call.api}:answered` as KillPoint);
    return 'hold';
  };
  hooks.notifying = async () => {
    if (armed()?.point === 'notification') await killAt('notification');
  };

  const terms = (order: OrderPlan) => ({
    orderId: order.orderId,
    amount: order.amount,
    currency: 'INR',
    expiresIn: 60,
  });

  function see(till: TillState, view: OrderView) {
    if (view.status === 'paid') till.sawPaid = true;
    if (isFinal(view)) till.ended = true;
  }

  /** After a restart, a till still showing its QR asks for it again: the same QR and deadline, or its end. */
  async function resume(till: TillState) {
    if (!till.shown || till.ended) return;
    const answer = await stack.call('POST', '/qr', terms(till.plan), 30_000);
    note(`${till.plan.orderId}: resumed → ${answer.status} ${answer.body.status ?? answer.body.code}`);
    if (answer.status !== 200) {
      problems.push(`${till.plan.orderId}: resuming answered ${answer.status} ${answer.body.code}`);
    } else if (answer.body.status !== 'pending') {
      see(till, answer.body);
    } else if (answer.body.qrString !== till.shown.qrString || answer.body.expiresAt !== till.shown.expiresAt) {
      problems.push(`${till.plan.orderId}: resumed with another QR or deadline: ${JSON.stringify(answer.body)}`);
    }
  }

  async function runTill(till: TillState) {
    const { plan: order } = till;
    await sleep(order.startMs);
    const created = await stack.call('POST', '/qr', terms(order), 30_000);
    note(`${order.orderId}: POST /qr → ${created.status} ${created.body.status ?? created.body.code}`);
    if (created.status === 409 && /never reached this backend/.test(created.body.message ?? '')) {
      till.lost = true;
      return;
    }
    if (created.status === 0 || created.status >= 500) return; // The till gives up, as the element does after a minute.
    if (created.status !== 201 && created.status !== 200) {
      problems.push(`${order.orderId}: POST /qr answered ${created.status} ${created.body.code}`);
      return;
    }
    till.shown = { qrString: created.body.qrString, expiresAt: created.body.expiresAt };
    const expiresAt = Date.parse(created.body.expiresAt);
    const customer = runCustomer(till, expiresAt);
    if (order.till === 'walk-away') {
      see(till, (await stack.call('GET', `/qr/${order.orderId}`, undefined, 30_000)).body);
    } else if (order.till === 'cancel') {
      await sleep(order.cancelAfterMs ?? 0);
      cashierCancels.add(order.orderId);
      const cancelled = await stack.call(
        'POST',
        `/qr/${order.orderId}/cancel`,
        { reason: 'USER_CANCELLATION', refund: order.refund ?? true },
        40_000,
      );
      cashierCancels.delete(order.orderId);
      note(`${order.orderId}: cancel → ${cancelled.status} ${cancelled.body.status ?? cancelled.body.code}`);
      if (cancelled.status === 200) see(till, cancelled.body);
    }
    while (order.till === 'watch' && !till.ended && Date.now() < expiresAt + 45_000) {
      const answer = await stack.call('GET', `/qr/${order.orderId}?wait=3`, undefined, 30_000);
      if (answer.status === 200) see(till, answer.body);
    }
    await customer;
  }

  /** The customer, on the sandbox's side: pays, pays after the order ended, or is declined. */
  async function runCustomer(till: TillState, expiresAt: number) {
    const { plan: order } = till;
    if (order.customer === 'none') return;
    if (order.customer === 'pay-late') {
      // Paid once Amazon ended the QR (a cancel, or its expiry), within the follow-up window.
      const ledger = () => sandbox.order(order.orderId);
      while (!ledger()?.cancel && Date.now() < expiresAt && ledger()?.status === 'PENDING') await sleep(50);
      if (Date.now() < expiresAt && !ledger()?.cancel) await sleep(expiresAt - Date.now());
    }
    await sleep(order.actAfterMs);
    if (order.notification === 'lose') sandbox.faults.set({ dropIpn: 1, orderId: order.orderId });
    try {
      if (order.customer === 'fail') sandbox.fail(order.orderId);
      else sandbox.pay(order.orderId);
      note(`${order.orderId}: customer ${order.customer} (notification ${order.notification})`);
    } catch (error) {
      note(`${order.orderId}: customer could not ${order.customer}: ${(error as Error).message}`);
    }
  }

  const fail = async (reason: string) => {
    const output = stack.backend.output.slice(-40).join('\n    ');
    await stack.close().catch(() => undefined);
    throw new CrashRunFailure(
      `Crash run ${plan.run} of seed ${plan.seed} on ${replay} broke:\n  - ${reason}\nPlan: ${JSON.stringify(plan)}\nSteps:\n  ${log.join('\n  ')}\nBackend:\n    ${output}`,
    );
  };

  try {
    await stack.backend.start();
    arm();
    if (plan.outage) {
      const { api, atMs, forMs } = plan.outage;
      setTimeout(() => {
        sandbox.faults.set({ status: 503, forMs, api });
        note(`${api} answers 503 for ${forMs} ms`);
      }, atMs).unref();
    }
    await Promise.all([...tills.values()].map((till) => runTill(till)));

    // Every order reaches its end (kills still armed: the backend's own jobs are where they strike).
    let lastEnd = Date.now();
    for (const till of tills.values()) {
      if (!till.shown) continue;
      const until = Date.parse(till.shown.expiresAt) + 40_000;
      for (;;) {
        const answer = await stack.call('GET', `/qr/${till.plan.orderId}`, undefined, 10_000);
        const view = answer.body;
        // Settled once any charge Amazon holds is accounted for: paid, found by the cancel, or a late payment refunded.
        const accounted =
          !sandbox.order(till.plan.orderId)?.charge ||
          view.status === 'paid' ||
          (view.cancel !== undefined && view.cancel.outcome !== 'Approved') ||
          (view.latePayment !== undefined && view.latePayment.refundStatus !== 'Requested');
        const settled = isFinal(view) && accounted && view.latePayment?.refundStatus !== 'Requested';
        if (answer.status === 200 && settled) break;
        if (Date.now() > until) {
          problems.push(`${till.plan.orderId} never settled: ${answer.status} ${JSON.stringify(answer.body)}`);
          break;
        }
        await sleep(200);
      }
      lastEnd = Math.max(lastEnd, Date.now());
    }
    // The end of the day: no more kills.
    next = plan.kills.length;
    clearTimeout(idleTimer);
    await restarted;
    await sandbox.settled();
    // The follow-ups still due look for payments that came late; then nothing may be owed.
    await sleep(lastEnd + LAST_FOLLOW_UP_MS + 1_000 - Date.now());
    // A job taken over from a killed instance waits for its lease (and, on Redis, for the dead
    // instance's upstream lock), so the backend gets until a deadline to owe nothing.
    let records: OrderRecord[] = [];
    const owedUntil = Date.now() + 60_000;
    for (;;) {
      await stack.backend.stop();
      records = await stack.records();
      const owing = records.filter((record) => record.jobs);
      if (owing.length === 0 || Date.now() > owedUntil) break;
      const dueAt = Math.max(...owing.flatMap((record) => Object.values(record.jobs ?? {}).map((job) => job.dueAt)));
      await stack.backend.start();
      await sleep(Math.min(dueAt - Date.now(), 10_000) + 2_000);
    }
    problems.push(...reconcile(records, sandbox.orders(), tills));
  } catch (error) {
    problems.push(`the run failed: ${(error as Error).stack ?? String(error)}`);
  }
  if (problems.length > 0) return fail(problems.join('\n  - '));
  await stack.close();
  return { killed, ms: Date.now() - started, log };
}

/** Every way the backend's records disagree with the money in the ledger or with what tills saw. */
function reconcile(records: OrderRecord[], ledger: SandboxOrder[], tills: Map<string, TillState>): string[] {
  const problems: string[] = [];
  const recorded = new Map(records.map((record) => [record.orderId, record]));
  for (const record of records) {
    if (!TERMINAL_STATUSES.includes(record.status)) problems.push(`${record.orderId} is still ${record.status}`);
    if (record.jobs) problems.push(`${record.orderId} still owes ${JSON.stringify(record.jobs)}`);
  }
  for (const order of ledger) {
    const record = recorded.get(order.orderId);
    const refunded = order.refunds.reduce((sum, refund) => sum + toPaise(refund.amount), 0);
    if (order.refunds.length > 1) problems.push(`${order.orderId} was refunded ${order.refunds.length} times`);
    if (order.charge && refunded > toPaise(order.charge.amount))
      problems.push(`${order.orderId}: refunded more than charged`);
    if (!record) {
      if (order.charge) problems.push(`${order.orderId}: charged, and the backend has no record of it`);
      continue;
    }
    if (record.status === 'paid' && (!order.charge || refunded > 0)) {
      problems.push(
        `${order.orderId} is reported paid, but Amazon has ${order.charge ? 'refunded' : 'no charge for'} it`,
      );
    }
    if (!order.charge) continue;
    const kept = record.status === 'paid' && refunded === 0;
    const keptOnPurpose =
      record.cancel?.outcome === 'RefundApplicableButNotRequested' && record.cancel.refund === false && refunded === 0;
    const given = refunded === toPaise(order.charge.amount);
    if (!kept && !keptOnPurpose && !given) {
      problems.push(`${order.orderId}: charged ${order.charge.amount}, ${record.status}, refunded ${refunded / 100}`);
    }
  }
  for (const till of tills.values()) {
    const record = recorded.get(till.plan.orderId);
    if (till.shown && !record) problems.push(`${till.plan.orderId}: shown to a till, unknown to the backend`);
    if (till.sawPaid && record?.status !== 'paid')
      problems.push(`${till.plan.orderId}: a till saw paid, the order is ${record?.status}`);
  }
  return problems;
}
