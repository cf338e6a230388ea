/**
 * The element's own `PaymentSession`, run in Node against the in-process stack, as a page would run
 * it: the stack's clock and timers, a connection and a page visibility the test switches, the real
 * contract client and its validation over the stack's `fetch`, and the events `eventFor` says the
 * element fires.
 */
import { ContractClient } from '../../../src/session/client.js';
import type { SessionEnvironment } from '../../../src/session/environment.js';
import type { OrderInputs } from '../../../src/session/inputs.js';
import { eventFor } from '../../../src/session/outcome.js';
import { PaymentSession } from '../../../src/session/payment-session.js';
import type { OrderView } from '../../../src/contract/types.js';
import { type InProcessStack, STACK_API } from './in-process-stack.js';
import type { Random } from './seeded-random.js';

/** One page showing one order: its session, what it fired and what it has on the wire. */
export class NodePage {
  readonly session: PaymentSession;
  /** The events the element would have fired, as `type`, or `error:CODE` (`:retrying` when it retries). */
  readonly fired: string[] = [];
  /** The first payable QR the page showed. */
  shown: OrderView | undefined;
  private online = true;
  private readonly connection = new Set<(online: boolean) => void>();
  private readonly visibility = new Set<() => void>();
  /** Contract requests on their way that the backend answers at once (not held long polls). */
  private immediate = 0;

  constructor(
    stack: InProcessStack,
    random: Random,
    readonly inputs: OrderInputs,
  ) {
    const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const held = String(input).includes('?wait=');
      if (!held) this.immediate += 1;
      try {
        return await stack.fetch(input, init);
      } finally {
        if (!held) this.immediate -= 1;
      }
    };
    const environment: SessionEnvironment = {
      now: stack.now,
      after: (ms, callback) => stack.clock.timers.after(ms, callback),
      random: random.next,
      online: () => this.online,
      watchConnection: (onChange) => subscribe(this.connection, onChange),
      watchVisibility: (onVisible) => subscribe(this.visibility, onVisible),
      client: (endpoint, init) => new ContractClient(endpoint, init, fetch),
    };
    this.session = new PaymentSession(environment);
    this.session.listen({
      changed: (next, previous) => {
        if (next.kind === 'pending') this.shown ??= next.order;
        const event = eventFor(next, previous);
        if (!event) return;
        this.fired.push(
          event.type === 'error'
            ? `error:${event.detail.code}${event.detail.willRetry ? ':retrying' : ''}`
            : event.type,
        );
      },
    });
  }

  /** Loads the page: the session starts the order. */
  open(): this {
    this.session.start(this.inputs);
    return this;
  }

  /** The device loses (false) or regains (true) its connection. */
  setOnline(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    for (const listener of this.connection) listener(online);
  }

  /** The page is shown again after being hidden. */
  show(): void {
    for (const listener of this.visibility) listener();
  }

  /** Whether a request the backend answers at once is still on its way. */
  get busy(): boolean {
    return this.immediate > 0;
  }

  /** The page's terminal events: `paid`, `expired`, `cancel` or `error:PAYMENT_FAILED`. */
  get terminal(): string[] {
    return this.fired.filter((event) => ['paid', 'expired', 'cancel', 'error:PAYMENT_FAILED'].includes(event));
  }
}

function subscribe<T>(listeners: Set<T>, listener: T): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The element's inputs for an order on the stack. */
export function inputsFor(terms: { orderId: string; amount: string; expiresIn: number }): OrderInputs {
  return { endpoint: STACK_API, currency: 'INR', format: 'auto', ...terms };
}
