import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OrderView } from '../../src/contract/types.js';
import type { ContractCalls } from '../../src/session/client.js';
import type { SessionEnvironment } from '../../src/session/environment.js';
import type { OrderInputs } from '../../src/session/inputs.js';
import { eventFor } from '../../src/session/outcome.js';
import { PaymentSession } from '../../src/session/payment-session.js';
import type { SessionState } from '../../src/session/state.js';
import { TestClock } from '../server/support/test-clock.js';

/** A backend in memory: the QR at once, every status request held until the test answers it. */
class HeldBackend implements ContractCalls {
  readonly asked: { orderId: string; wait: number }[] = [];
  private readonly waiting: { orderId: string; resolve: (view: OrderView) => void }[] = [];

  constructor(private readonly clock: TestClock) {}

  view(orderId: string, status: OrderView['status'] = 'pending'): OrderView {
    const now = this.clock.now();
    return {
      orderId,
      mode: 'production',
      status,
      amount: '249.00',
      currency: 'INR',
      expiresAt: new Date(now + 300_000).toISOString(),
      serverTime: new Date(now).toISOString(),
      qrString: 'upi://pay?pa=shop@apl&am=249.00',
    };
  }

  createQr({ orderId }: { orderId: string }): Promise<OrderView> {
    return Promise.resolve(this.view(orderId));
  }

  getStatus(orderId: string, wait: number, signal: AbortSignal): Promise<OrderView> {
    this.asked.push({ orderId, wait });
    return new Promise((resolve, reject) => {
      this.waiting.push({ orderId, resolve });
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }

  cancel(orderId: string): Promise<OrderView> {
    return Promise.resolve(this.view(orderId, 'cancelled'));
  }

  /** Answers every held status request about `view`'s order with it. */
  answer(view: OrderView): void {
    for (const held of this.waiting.filter(({ orderId }) => orderId === view.orderId)) held.resolve(view);
  }
}

/** A session on a test clock against `backend`, always online, and the events it means. */
function sessionFor(clock: TestClock, backend: ContractCalls) {
  const environment: SessionEnvironment = {
    now: clock.now,
    after: (ms, callback) => clock.timers.after(ms, callback),
    random: () => 0.5,
    online: () => true,
    watchConnection: () => () => undefined,
    watchVisibility: () => () => undefined,
    client: () => backend,
  };
  const session = new PaymentSession(environment);
  const events: string[] = [];
  session.listen({
    changed: (next, previous) => {
      const event = eventFor(next, previous);
      if (event) events.push(event.type === 'error' ? `error:${event.detail.code}` : event.type);
    },
  });
  return { session, events };
}

const inputs = (orderId: string): OrderInputs => ({
  endpoint: '/api/dqr',
  orderId,
  amount: '249.00',
  currency: 'INR',
  expiresIn: 300,
  format: 'auto',
});

/** Lets promise chains run (the fakes answer within the same turn). */
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('payment session', () => {
  it('ends the order as a non-retryable INTERNAL error when handling an answer throws, and stops asking', async () => {
    const clock = new TestClock();
    const backend = new HeldBackend(clock);
    const { session, events } = sessionFor(clock, backend);
    let answers = 0;
    session.listen({
      changed: (next) => {
        // The first pending state is the QR; the next is the status answer the handling fails on.
        if (next.kind === 'pending' && ++answers === 2) throw new TypeError('cannot read the answer');
      },
    });
    session.start(inputs('ORD-1'));
    await turn();
    assert.equal(session.state.kind, 'pending');
    backend.answer(backend.view('ORD-1'));
    await turn();
    // The assertion above narrowed `session.state`; the answer moved it on.
    const state = session.state as SessionState;
    assert.ok(state.kind === 'error');
    assert.equal(state.error.code, 'INTERNAL');
    assert.equal(state.error.retryable, false);
    assert.match(state.error.message, /cannot read the answer/);
    assert.deepEqual(events, ['error:INTERNAL']);
    const asked = backend.asked.length;
    clock.advance(10 * 60_000);
    await turn();
    assert.equal(backend.asked.length, asked, 'no request after the fault');
    assert.equal(clock.pending, 0, 'no timer left');
  });

  it('starting another order drops every answer about the one before', async () => {
    const clock = new TestClock();
    const backend = new HeldBackend(clock);
    const { session, events } = sessionFor(clock, backend);
    session.start(inputs('ORD-A'));
    await turn();
    session.start(inputs('ORD-B'));
    await turn();
    // Order A's long poll was aborted with its run; a late "paid" for it changes nothing.
    backend.answer(backend.view('ORD-A', 'paid'));
    await turn();
    assert.equal(session.state.kind, 'pending');
    assert.equal(session.orderId, 'ORD-B');
    assert.deepEqual(events, []);
    assert.deepEqual(
      backend.asked.map(({ orderId }) => orderId),
      ['ORD-A', 'ORD-B'],
    );
  });

  it('keeps the order it runs when the same order id is started again, and moves to a regenerated one', async () => {
    const clock = new TestClock();
    const backend = new HeldBackend(clock);
    const { session } = sessionFor(clock, backend);
    const started: string[] = [];
    session.listen({ started: (orderId, regenerated) => started.push(`${orderId}${regenerated ? ' (fresh)' : ''}`) });
    session.start(inputs('ORD-1'));
    await turn();
    session.start({ ...inputs('ORD-1'), amount: '300.00' });
    session.regenerate('ORD-1-R1');
    session.start(inputs('ORD-1-R1'));
    await turn();
    assert.deepEqual(started, ['ORD-1', 'ORD-1-R1 (fresh)']);
    assert.equal(session.state.kind, 'pending');
  });
});
