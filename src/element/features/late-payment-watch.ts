/**
 * Keeps asking about orders that are over (expired or cancelled) for a grace period, because a
 * customer's payment can still land minutes later (Amazon gives a merchant 3.5 minutes). Each
 * order is asked about on its own chain of timeouts, one request at a time, until the grace ends
 * or the backend reports a refund that is settled. A payment found is reported once per order, as
 * `late-payment` on the host, after the update that shows it.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { OrderView } from '../../contract/types.js';
import { LatePaymentEvent } from '../events.js';

/** Milliseconds between two questions about an order in its grace period. */
export const LATE_PAYMENT_POLL_MS = 5_000;

interface LatePaymentWatchOptions {
  /** One immediate status request. */
  fetchStatus(orderId: string, signal: AbortSignal): Promise<OrderView>;
  /** Every answer during the grace period, before any `late-payment` it brings fires. */
  onView(view: OrderView): void;
}

/** Watches ended orders for late payments while the element is on the page. */
export class LatePaymentWatch implements ReactiveController {
  private readonly watches = new Map<string, { timer?: ReturnType<typeof setTimeout>; request: AbortController }>();
  /** Orders whose late payment has fired, so an order watched again does not fire twice. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly host: ReactiveControllerHost & EventTarget,
    private readonly options: LatePaymentWatchOptions,
  ) {
    host.addController(this);
  }

  /** Watches `orderId` for `graceSeconds` from now; 0 or less does nothing. */
  watch(orderId: string, graceSeconds: number): void {
    if (!(graceSeconds > 0) || this.watches.has(orderId)) return;
    const until = Date.now() + graceSeconds * 1000;
    const watch: { timer?: ReturnType<typeof setTimeout>; request: AbortController } = {
      request: new AbortController(),
    };
    this.watches.set(orderId, watch);
    const ask = (): void => {
      watch.timer = undefined;
      this.options.fetchStatus(orderId, watch.request.signal).then(
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

  hostConnected(): void {}

  hostDisconnected(): void {
    for (const orderId of [...this.watches.keys()]) this.stop(orderId);
  }

  /** Hands the host the answer, then fires `late-payment` once per order after the host's update. */
  private report(view: OrderView): void {
    this.options.onView(view);
    const late = view.latePayment;
    if (!late || this.reported.has(view.orderId)) return;
    this.reported.add(view.orderId);
    const event = new LatePaymentEvent({
      orderId: view.orderId,
      amount: view.amount,
      amazonChargeId: late.amazonChargeId,
      refundStatus: late.refundStatus,
    });
    void this.host.updateComplete.then(() => this.host.dispatchEvent(event));
  }

  private stop(orderId: string): void {
    const watch = this.watches.get(orderId);
    if (!watch) return;
    clearTimeout(watch.timer);
    watch.request.abort();
    this.watches.delete(orderId);
  }
}
