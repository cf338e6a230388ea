/**
 * What `<amazonpay-dqr>` would conclude from the backend's answers, without a DOM: the answers go
 * through the element's own pure `transition`, and each step into a final state records the event
 * the element fires for it.
 */
import type { CancelReason, OrderView } from '../../../src/contract/types.js';
import { isFinal, transition, type DqrEvent, type DqrState } from '../../../src/element/state.js';

/** The element's terminal events by the final state that fires them. */
const EVENT_OF_FINAL = { paid: 'paid', expired: 'expired', cancelled: 'cancel', failed: 'failed' } as const;

/** An event name the element fires once its order is over. */
export type FinalEvent = (typeof EVENT_OF_FINAL)[keyof typeof EVENT_OF_FINAL];

/** Feeds an element's state with answers and records the terminal events it would fire. */
export class ElementWatcher {
  state: DqrState = { kind: 'idle' };
  readonly fired: FinalEvent[] = [];

  private feed(event: DqrEvent) {
    const before = this.state;
    this.state = transition(before, event);
    if (!isFinal(before) && isFinal(this.state)) {
      this.fired.push(EVENT_OF_FINAL[this.state.kind as keyof typeof EVENT_OF_FINAL]);
    }
  }

  /** The element asks for its QR. */
  request() {
    this.feed({ type: 'request' });
  }

  /** A successful answer (create, status, long poll or cancel) arrived. */
  view(view: OrderView) {
    this.feed({ type: 'view', view });
  }

  /** The countdown reached zero. */
  deadline() {
    this.feed({ type: 'deadline' });
  }

  /** The element starts a cancel (the cashier's, or its own at expiry). */
  cancel(reason: CancelReason) {
    this.feed({ type: 'cancel', reason });
  }

  /** The cancel could not be made. */
  cancelFailed() {
    this.feed({ type: 'cancel-failed' });
  }

  /** Whether the order is still open to the element: a live QR, or past the deadline still asking. */
  get waiting() {
    return this.state.kind === 'pending' || this.state.kind === 'expiring';
  }
}
