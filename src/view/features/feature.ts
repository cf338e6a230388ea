/**
 * The one interface of the element's opt-in features (the customer display, kiosk mode, the chime,
 * the late-payment watch, regeneration): each feature module exports `create`, and what it makes
 * gets the element's state changes and order starts, may bring styles, and undoes everything in
 * `dispose`. The element iterates over the features it has; it names none of them.
 */
import type { PaymentSession } from '../../session/payment-session.js';
import type { SessionState } from '../../session/state.js';

/** The element's settings a feature reads. */
export interface FeatureSettings {
  readonly orderId: string;
  readonly channel: string;
  readonly mirror: string;
  readonly kiosk: boolean;
  readonly sound: boolean;
  readonly latePaymentGrace: number;
  readonly regenerate: number;
}

/** What a feature works with. */
export interface FeatureHost {
  /** The element: its settings, and where the feature's own events are dispatched. */
  readonly element: HTMLElement & FeatureSettings & { readonly updateComplete: Promise<boolean> };
  /** The element's payment session. */
  readonly session: PaymentSession;
}

/** One feature on one element. */
export interface Feature {
  /** CSS the element adopts after its own while the feature is on. */
  readonly styles?: string;
  /** The session's state moved from `previous` to `next`; called after the update that shows `next`. */
  changed?(next: SessionState, previous: SessionState): void;
  /** A run of `orderId` started: the host's order, or (`regenerated`) a fresh one for an expired QR. */
  orderStarted?(orderId: string, regenerated: boolean): void;
  /** The feature is turned off or the element left the page: stop every timer, listener and channel. */
  dispose(): void;
}

/** What a feature's module exports. */
export interface FeatureModule {
  /** Makes the feature for `host`; it starts from the session's state as it is now. */
  create(host: FeatureHost): Feature;
}
