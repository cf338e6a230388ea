/**
 * Bounded regeneration, loaded once the `regenerate` attribute is above 0: when a QR expires, the
 * host is asked (the cancelable `regenerate` event) for a new order id to show a fresh QR for,
 * up to `regenerate` times since the host last chose an order itself.
 */
import type { ReactiveControllerHost } from 'lit';
import { RegenerateEvent } from '../events.js';

/** What regeneration reads and sets on the element. */
export interface RegenerationHost extends ReactiveControllerHost, EventTarget {
  orderId: string;
  /** How many fresh QRs the host allows. */
  regenerate: number;
}

/** One element's count of fresh QRs, and the question that makes the next one. */
export class Regeneration {
  /** Fresh QRs shown since the host last chose an order. */
  count = 0;
  /** Set while the element itself moves to a regenerated order, so the count is kept. */
  private moving = false;

  constructor(private readonly host: RegenerationHost) {}

  /** An order starts: one the host chose starts the count again, a regenerated one keeps it. */
  orderStarted(): void {
    if (!this.moving) this.count = 0;
    this.moving = false;
  }

  /**
   * The QR of the host's order expired: after the update that shows it, asks the host for a new
   * order id and moves to it. Resolves with whether the order ends as expired after all (none
   * allowed, or the event cancelled or given no new id while `current()` still holds).
   */
  async offer(current: () => boolean): Promise<boolean> {
    const { host } = this;
    if (this.count >= host.regenerate) return true;
    await host.updateComplete;
    const orderId = host.orderId;
    let given: string | undefined;
    const event = new RegenerateEvent({
      orderId,
      attempt: this.count + 1,
      setOrderId: (id) => {
        given = id;
      },
    });
    this.moving = true;
    host.dispatchEvent(event);
    const next = given ?? (host.orderId !== orderId ? host.orderId : undefined);
    if (event.defaultPrevented || !next || next === orderId || !current()) {
      this.moving = false;
      return current();
    }
    this.count++;
    host.orderId = next;
    return false;
  }
}
