import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from './support/process/eventually.js';
import { productionStack, type ProductionStack, type StackStore } from './support/process/production-stack.js';
import { freePort, ownRedisServer, redisSkipReason } from './support/redis.js';

/**
 * What a merchant's operations team does to a backend in production: SIGKILL it and start it
 * again. The backend runs in a process of its own, in production mode, against the sandbox over
 * HTTPS; what it owed before the kill is still owed after it, and a till resumes its order.
 */
const order = (orderId: string) => ({ orderId, amount: '249.00', currency: 'INR', expiresIn: 120 });
const userCancel = { reason: 'USER_CANCELLATION', refund: true };

const redisSkip = await redisSkipReason();
const stores: [string, () => Promise<StackStore>, string | undefined][] = [];
let redisServer: Awaited<ReturnType<typeof ownRedisServer>> | undefined;
stores.push(['SQLite', async () => ({ kind: 'sqlite' }), undefined]);
stores.push([
  'Redis with AOF',
  async () => {
    redisServer ??= await ownRedisServer({ aof: true });
    return { kind: 'redis', url: redisServer.url };
  },
  redisSkip,
]);
after(() => redisServer?.stop());

for (const [name, storeOf, skip] of stores) {
  describe(`a backend killed and restarted, on ${name}`, { skip, timeout: 60_000 }, () => {
    let stack: ProductionStack;
    before(async () => {
      stack = await productionStack({ store: await storeOf() });
      await stack.backend.start();
    });
    after(() => stack?.close());

    it('makes a late-payment refund it was retrying when it was killed, exactly once', async () => {
      const { sandbox, hooks } = stack.sandbox;
      assert.equal((await stack.call('POST', '/qr', order('KILL-RETRY'))).status, 201);
      assert.equal((await stack.call('POST', '/qr/KILL-RETRY/cancel', userCancel)).body.cancel?.outcome, 'Approved');
      sandbox.faults.set({ status: 503, forMs: 600_000, api: 'refund' });
      let refundCalls = 0;
      const killed = new Promise<void>((resolve) => {
        hooks.arrived = async (call) => {
          if (call.api !== 'refund' || ++refundCalls < 2) return;
          hooks.arrived = undefined;
          await stack.backend.kill();
          resolve();
          return 'hold';
        };
      });
      // Paid after the cancel: a late payment, whose refund the Refund API refuses, then the kill.
      sandbox.pay('KILL-RETRY');
      await killed;
      sandbox.faults.clear();
      await stack.backend.start();
      const view = await eventually(
        () => stack.call('GET', '/qr/KILL-RETRY', undefined, 5_000),
        (answer) => answer.body.latePayment?.refundStatus === 'Approved',
        { withinMs: 25_000, what: 'the refund after the restart' },
      );
      assert.equal(view.body.status, 'cancelled');
      const ledger = sandbox.order('KILL-RETRY')!;
      assert.equal(ledger.refunds.length, 1);
      assert.equal(ledger.refunds[0].amount, ledger.charge?.amount);
    });

    it('refunds a payment made while it was down, after a cancel, with every notification lost', async () => {
      const { sandbox } = stack.sandbox;
      assert.equal((await stack.call('POST', '/qr', order('DOWN-PAID'))).status, 201);
      assert.equal((await stack.call('POST', '/qr/DOWN-PAID/cancel', userCancel)).body.status, 'cancelled');
      await stack.backend.kill();
      sandbox.pay('DOWN-PAID');
      // SNS gives up: every delivery failed while the backend was down.
      await sandbox.settled();
      assert.equal(sandbox.order('DOWN-PAID')?.notifications.sent, 1);
      await stack.backend.start();
      const view = await eventually(
        () => stack.call('GET', '/qr/DOWN-PAID', undefined, 5_000),
        (answer) => answer.body.latePayment?.refundStatus === 'Approved',
        { withinMs: 15_000, what: 'the refund of the payment made during the downtime' },
      );
      assert.equal(view.body.status, 'cancelled');
      assert.equal(sandbox.order('DOWN-PAID')?.refunds.length, 1);
    });

    it('resumes a pending order for the till after the restart: same QR, same deadline, then paid', async () => {
      const { sandbox } = stack.sandbox;
      const created = await stack.call('POST', '/qr', order('RESUME'));
      assert.equal(created.status, 201);
      await stack.backend.kill();
      await stack.backend.start();
      const resumed = await stack.call('POST', '/qr', order('RESUME'));
      assert.equal(resumed.status, 200);
      assert.equal(resumed.body.qrString, created.body.qrString);
      assert.equal(resumed.body.expiresAt, created.body.expiresAt);
      const waiting = stack.call('GET', '/qr/RESUME?wait=20');
      sandbox.pay('RESUME');
      const paid = await waiting;
      assert.equal(paid.body.status, 'paid');
      assert.equal(paid.body.amazonChargeId, sandbox.order('RESUME')?.charge?.amazonChargeId);
    });

    it('owes nothing once every order has ended and its follow-ups ran', async () => {
      await eventually(
        async () => {
          await stack.backend.stop();
          const owing = (await stack.records()).filter((record) => record.jobs && !record.jobs.followUp);
          await stack.backend.start();
          return owing.map((record) => [record.orderId, Object.keys(record.jobs ?? {})]);
        },
        (owing) => owing.length === 0,
        { withinMs: 20_000, what: 'every job but the follow-ups ending' },
      );
    });
  });
}

describe('npm run backend with no configuration', { timeout: 60_000 }, () => {
  const cwd = mkdtempSync(join(tmpdir(), 'dqr-npm-backend-'));
  after(() => rmSync(cwd, { recursive: true, force: true }));

  /** The command as `npm run backend` runs it, from a folder of the operator's. */
  async function startCommand(port: number) {
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('../../src/server/main.ts', import.meta.url))],
      { cwd, env: { PATH: process.env.PATH ?? '', PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (data: Buffer) => {
        output += data.toString();
        if (output.includes('IPN endpoint')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    return { child, output };
  }

  it('keeps orders on disk, so the restarted backend resumes the pending order: same QR, same deadline', async () => {
    const port = await freePort();
    const call = (body: unknown) =>
      fetch(`http://127.0.0.1:${port}/api/dqr/qr`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const first = await startCommand(port);
    const created = await call(order('NPM-RESUME'));
    assert.equal(created.status, 201);
    const view = (await created.json()) as { qrString: string; expiresAt: string };
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const second = await startCommand(port);
    try {
      const resumed = await call(order('NPM-RESUME'));
      assert.equal(resumed.status, 200);
      const again = (await resumed.json()) as { qrString: string; expiresAt: string };
      assert.equal(again.qrString, view.qrString);
      assert.equal(again.expiresAt, view.expiresAt);
      assert.match(second.output, /orders are kept in SQLite at .*amazonpay-dqr\.sqlite: they survive restarts/);
      assert.ok(existsSync(join(cwd, 'amazonpay-dqr.sqlite')), 'in the working directory');
    } finally {
      second.child.kill('SIGKILL');
    }
  });
});
