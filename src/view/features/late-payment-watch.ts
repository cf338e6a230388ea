/**
 * Keeps asking about orders that are over (expired or cancelled) for a grace period, because a
 * customer's payment can still land minutes later (Amazon gives a merchant 3.5 minutes). Each
 * order is asked about on its own chain of timeouts, one request at a time, until the grace ends
 * or the backend reports a refund that is settled. A payment found is reported once per order, as
 * `late-payment` on the element, after the update that shows it.
 */
import type { OrderView } from '../../contract/types.js';
import { isFinal } from '../../session/state.js';
import { LatePaymentEvent } from '../events.js';
import type { Feature, FeatureHost } from './feature.js';

/** Milliseconds between two questions about an order in its grace period. */
export const LATE_PAYMENT_POLL_MS = 5_000;

interface Watch {
  timer?: ReturnType<typeof setTimeout>;
  request: AbortController;
}

/** Watches ended orders for late payments while the element is on the page. */
class LatePaymentWatch {
  private readonly watches = new Map<string, Watch>();
  /** Orders whose late payment has fired, so an order watched again does not fire twice. */
  private readonly reported = new Set<string>();

  constructor(private readonly host: FeatureHost) {}

  /** Watches `orderId` for `graceSeconds` from now; 0 or less does nothing. */
  watch(orderId: string, graceSeconds: number): void {
    if (!(graceSeconds > 0) || this.watches.has(orderId)) return;
    const until = Date.now() + graceSeconds * 1000;
    const watch: Watch = { request: new AbortController() };
    this.watches.set(orderId, watch);
    const ask = (): void => {
      watch.timer = undefined;
      this.host.session.statusOf(orderId, watch.request.signal).then(
        (view) => {
          if (this.watches.get(orderId) !== watch) return;
          this.report(view);
          const refund = view.latePayment?.refundStatus;
          if (view.status === 'paid' || refund === 'Approved' || refund === 'Declined') this.stop(orderId);
          else next();
        },
        () => {
          if (this.watches.get(orderId) === watch) next();
        },
      );
    };
    const next = (): void => {
      const left = until - Date.now();
      if (left <= 0) this.stop(orderId);
      else watch.timer = setTimeout(ask, Math.min(LATE_PAYMENT_POLL_MS, left));
    };
    next();
  }

  /** Stops watching every order. */
  stopAll(): void {
    for (const orderId of [...this.watches.keys()]) this.stop(orderId);
  }

  /** Hands the session the answer, then fires `late-payment` once per order after the element's update. */
  private report(view: OrderView): void {
    const { element, session } = this.host;
    session.late(view);
    const late = view.latePayment;
    if (!late || this.reported.has(view.orderId)) return;
    this.reported.add(view.orderId);
    const event = new LatePaymentEvent({
      orderId: view.orderId,
      amount: view.amount,
      amazonChargeId: late.amazonChargeId,
      refundStatus: late.refundStatus,
    });
    void element.updateComplete.then(() => element.dispatchEvent(event));
  }

  private stop(orderId: string): void {
    const watch = this.watches.get(orderId);
    if (!watch) return;
    clearTimeout(watch.timer);
    watch.request.abort();
    this.watches.delete(orderId);
  }
}

/** The late-payment watch on one element: each expired or cancelled order is watched for `late-payment-grace` seconds. */
export function create(host: FeatureHost): Feature {
  const watch = new LatePaymentWatch(host);
  const ended = (state: typeof host.session.state) =>
    state.kind === 'expired' || state.kind === 'cancelled' ? state.order.orderId : undefined;
  const current = ended(host.session.state);
  if (current) watch.watch(current, host.element.latePaymentGrace);
  return {
    changed: (next, previous) => {
      const orderId = ended(next);
      if (orderId && !isFinal(previous)) watch.watch(orderId, host.element.latePaymentGrace);
    },
    dispose: () => watch.stopAll(),
  };
}
