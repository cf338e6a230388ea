/**
 * Bounded regeneration, loaded once the `regenerate` attribute is above 0: when a QR expires, the
 * host is asked (the cancelable `regenerate` event) for a new order id, which the session then runs
 * on the same terms, up to `regenerate` times since the host last chose an order itself.
 */
import { isFinal } from '../../session/state.js';
import { RegenerateEvent } from '../events.js';
import type { Feature, FeatureHost } from './feature.js';

/** Regeneration on one element. */
export function create({ element, session }: FeatureHost): Feature {
  /** Fresh QRs shown since the host last chose an order. */
  let count = 0;
  return {
    orderStarted: (_orderId, regenerated) => {
      if (!regenerated) count = 0;
    },
    /**
     * Called after the update that shows the expiry. A new order id, given with `setOrderId` or set
     * on the element in the listener, becomes the session's next order; the element then fires no
     * `expired` for this one.
     */
    changed: (next, previous) => {
      if (next.kind !== 'expired' || isFinal(previous) || count >= element.regenerate) return;
      const { orderId } = next.order;
      let given: string | undefined;
      const event = new RegenerateEvent({
        orderId,
        attempt: count + 1,
        setOrderId: (id) => {
          given = id;
        },
      });
      element.dispatchEvent(event);
      const fresh = given ?? (element.orderId !== orderId ? element.orderId : undefined);
      if (event.defaultPrevented || !fresh || fresh === orderId || session.state !== next) return;
      count++;
      session.regenerate(fresh);
    },
    dispose: () => undefined,
  };
}
