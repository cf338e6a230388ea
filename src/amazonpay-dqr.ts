import {
  LitElement,
  adoptStyles,
  unsafeCSS,
  type PropertyDeclarations,
  type PropertyValues,
  type TemplateResult,
} from 'lit';
import { DEFAULT_EXPIRES_IN } from './contract/rules.js';
import type { OrderView } from './contract/types.js';
import { FeatureSet } from './view/features/feature-set.js';
import type { Copy } from './i18n/copy.js';
import { addLanguage } from './i18n/languages.js';
import { en } from './i18n/translations/en.js';
import type { DqrFormat, OrderInputs } from './session/inputs.js';
import { eventFor } from './session/outcome.js';
import { type CancelOptions, PaymentSession } from './session/payment-session.js';
import { type DqrStatus, type SessionState, orderOf } from './session/state.js';
import { browserEnvironment } from './view/browser-environment.js';
import { type AmazonPayDqrEventMap, domEvent } from './view/events.js';
import { LanguageController } from './view/language.js';
import { drawQr } from './view/qr.js';
import { renderView } from './view/render.js';
import { styles } from './view/styles.js';

export {
  CancelEvent,
  DqrErrorEvent,
  ExpiredEvent,
  LatePaymentEvent,
  PaidEvent,
  RegenerateEvent,
} from './view/events.js';
export type {
  AmazonPayDqrEventMap,
  CancelDetail,
  DqrErrorDetail,
  ExpiredDetail,
  LatePaymentDetail,
  PaidDetail,
  RegenerateDetail,
} from './view/events.js';
export type { Copy } from './i18n/copy.js';
/** The English copy, to build a merchant language on with `AmazonPayDqr.addLanguage`. */
export { en as english } from './i18n/translations/en.js';
export { ContractError } from './session/errors.js';
export type { DqrFormat } from './session/inputs.js';
export type { CancelOptions } from './session/payment-session.js';
export type { DqrStatus } from './session/state.js';

/**
 * A device held in the hand: its primary pointer is a finger. Not `any-pointer: coarse`, which a
 * touch-screen laptop or a till's touch screen also match, where the shopper's own phone scans the QR.
 */
const TOUCH_DEVICE = '(pointer: coarse)';

/** The properties that describe the order: a change to one starts the order they now describe (see `PaymentSession.start`). */
const ORDER_INPUTS = [
  'endpoint',
  'orderId',
  'amount',
  'currency',
  'expiresIn',
  'storeId',
  'terminalId',
  'format',
  'requestInit',
  'noAutoCancel',
] as const;

/**
 * Takes one Amazon Pay Dynamic QR (UPI) payment: asks the merchant backend for a QR, shows it with
 * the amount, payee and a countdown, watches for the payment and reports how the order ended. It
 * speaks only the endpoint contract to the merchant's backend: no keys, no signing in the browser.
 *
 * The read-only `status` property is reflected as the `status` attribute (set by the element only):
 * `idle`, `invalid`, `requesting`, `pending`, `expiring`, `cancelling`, `paid`, `expired`,
 * `cancelled`, `failed` or `error`.
 *
 * @summary An Amazon Pay Dynamic QR payment: QR, amount, countdown, payment detection, cancel.
 *
 * @fires {PaidEvent} paid - The customer paid. `detail: {orderId, amount, amazonChargeId?}`.
 * @fires {ExpiredEvent} expired - The QR expired unpaid. `detail: {orderId, cancelOutcome?}`.
 * @fires {CancelEvent} cancel - The order was cancelled. `detail: {orderId, reason?, outcome?, refundRequested}`.
 * @fires {DqrErrorEvent} error - Something went wrong (does not bubble). `detail: {code, message, status?, willRetry}`.
 * @fires {LatePaymentEvent} late-payment - A payment landed after the order ended (within `late-payment-grace`); the backend refunds it. `detail: {orderId, amount, amazonChargeId?, refundStatus}`.
 * @fires {RegenerateEvent} regenerate - Cancelable. The QR expired and `regenerate` allows another: `detail: {orderId, attempt, setOrderId(id)}`.
 *
 * A customer-facing display: `<amazonpay-dqr mirror="counter-3">` in another window of the same
 * origin shows the same QR, countdown and result as the cashier's `<amazonpay-dqr channel="counter-3">`,
 * over `BroadcastChannel`; the mirror never calls the backend, has no cancel button and fires no events.
 *
 * Languages: English, Hindi, Bengali, Marathi, Tamil, Telugu, Gujarati and Kannada, chosen by the
 * nearest `lang`. English is built in; the others load on first use, while the QR is requested (the
 * QR shows once its words are there); add one with `AmazonPayDqr.addLanguage(code, copy)`.
 *
 * @slot instructions - Replaces the one line of instructions beside the QR.
 * @slot paid - Replaces the "Payment received" message.
 * @slot expired - Replaces the "QR code has expired" message.
 * @slot cancelled - Replaces the "Payment cancelled" message.
 * @slot failed - Replaces the "payment failed" message.
 * @slot error - Replaces the heading of an error (the reason still follows it).
 *
 * @csspart qr - The QR code (an `img`-role box holding an SVG, or an `<img>`).
 * @csspart amount - The amount, e.g. ₹1,249.50.
 * @csspart payee - The payee's name from the UPI string.
 * @csspart countdown - The `role="timer"` time left, as m:ss.
 * @csspart status - The polite live region with the state's message.
 * @csspart cancel-button - The built-in cancel button.
 * @csspart retry-button - The retry button of a retryable error.
 * @csspart pay-on-device - The "Pay with a UPI app" link of `pay-on-device`, on a touch device.
 * @csspart late-payment - The notice of a payment that landed after the order ended, and its refund.
 * @csspart sandbox - The "Sandbox — no real money" mark over an order of the backend's sandbox mode.
 *
 * @cssprop [--amazonpay-dqr-accent=#ff9900] - Focus ring, spinner and retry button.
 * @cssprop [--amazonpay-dqr-background=#ffffff] - Background (dark scheme: #1b1f24).
 * @cssprop [--amazonpay-dqr-text=#0f1111] - Text colour (dark scheme: #f2f4f5).
 * @cssprop [--amazonpay-dqr-muted=#565959] - Secondary text.
 * @cssprop [--amazonpay-dqr-success=#067d62] - The paid state.
 * @cssprop [--amazonpay-dqr-danger=#b12704] - Errors and the last seconds of the timer.
 * @cssprop [--amazonpay-dqr-radius=12px] - Corner radius.
 * @cssprop [--amazonpay-dqr-font=system-ui] - Font family.
 * @cssprop [--amazonpay-dqr-qr-size=320px] - Largest side of the QR; it shrinks to fit narrower containers.
 * @cssprop [--amazonpay-dqr-kiosk-qr-size=80vh] - Largest side of the QR in kiosk mode (the container's width also limits it, but never below 4 CSS px per module).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the interface below declares inherited methods only.
export class AmazonPayDqr extends LitElement {
  static override styles = styles;

  /** The reactive properties and their attributes; declared here, not by decorators, so no decorator helpers ship. */
  static override properties: PropertyDeclarations = {
    endpoint: {},
    orderId: { attribute: 'order-id' },
    amount: {},
    currency: {},
    expiresIn: { attribute: 'expires-in', type: Number },
    storeId: { attribute: 'store-id' },
    terminalId: { attribute: 'terminal-id' },
    format: {},
    noCancelButton: { attribute: 'no-cancel-button', type: Boolean },
    noAutoCancel: { attribute: 'no-auto-cancel', type: Boolean },
    payOnDevice: { attribute: 'pay-on-device', type: Boolean },
    channel: {},
    mirror: {},
    kiosk: { type: Boolean, reflect: true },
    sound: { type: Boolean },
    latePaymentGrace: { attribute: 'late-payment-grace', type: Number },
    regenerate: { type: Number },
    requestInit: { attribute: false },
  };

  /**
   * Adds (or replaces) the copy of a language for every element on the page, e.g. `or` for Odia;
   * elements whose nearest `lang` matches it render in it at once.
   */
  static addLanguage(code: string, copy: Copy): void {
    addLanguage(code, copy);
  }

  /** Base URL of the merchant backend's contract endpoints, e.g. `/api/dqr`. Required. */
  endpoint = '';

  /** The merchant's order id: 1 to 35 of `A-Z a-z 0-9 - _`. Changing it starts a new order. */
  orderId = '';

  /** Rupees as a decimal string with at most two decimals, at least `0.01`, e.g. `"249.00"`. */
  amount = '';

  /** Only `INR`. */
  currency = 'INR';

  /** Seconds the QR stays payable: 60 to 600. */
  expiresIn = DEFAULT_EXPIRES_IN;

  /** Passed through to the backend. */
  storeId?: string;

  /** Passed through to the backend. */
  terminalId?: string;

  /** `auto` asks for the UPI string and the image and draws the string locally; `string` or `image` ask for one. */
  format: DqrFormat = 'auto';

  /** Hides the built-in cancel button (the host cancels with `cancel()`). */
  noCancelButton = false;

  /** At expiry, only checks the status (asking until the backend answers) and does not cancel the QR upstream. */
  noAutoCancel = false;

  /**
   * On a touch device (primary pointer coarse: a phone or a tablet), a "Pay with a UPI app" link
   * under the QR whose target is the UPI string, so the shopper pays on the device showing it.
   */
  payOnDevice = false;

  /** Publishes this element's state on a named channel for customer displays (`mirror`) of the same origin. */
  channel = '';

  /**
   * Makes this element a customer display of the element whose `channel` has this name: it shows
   * that element's QR, countdown and result, calls no backend, has no cancel button and fires no events.
   */
  mirror = '';

  /** Kiosk mode: the QR as large as the container allows (at least 4 CSS px per module), the screen kept awake while it shows, a success animation. */
  kiosk = false;

  /** Plays a short chime when the payment arrives. */
  sound = false;

  /** Seconds to keep asking about an expired or cancelled order for a payment that still lands; 0 (default) is off. */
  latePaymentGrace = 0;

  /** How many times an expired QR may be replaced by a fresh one (see the `regenerate` event); 0 (default) is off. */
  regenerate = 0;

  /** Extra `RequestInit` merged into every call (headers such as authentication, credentials). */
  requestInit: RequestInit = {};

  /** The payment itself: this element shows it and reports what it means. */
  private readonly session = new PaymentSession(browserEnvironment, { beforeQr: () => this.readyToShow() });
  private readonly language = new LanguageController(this);
  private readonly features = new FeatureSet(this, this.session, (featureStyles) =>
    adoptStyles(this.renderRoot as ShadowRoot, [...AmazonPayDqr.elementStyles, ...featureStyles.map(unsafeCSS)]),
  );
  /** Order runs started so far: a feature that starts one while handling a change answers that change itself. */
  private starts = 0;

  constructor() {
    super();
    this.session.listen({
      changed: (next, previous) => {
        this.requestUpdate();
        void this.updateComplete.then(() => this.deliver(next, previous));
      },
      started: (orderId, regenerated) => {
        this.starts++;
        // A regenerated order is the element's order now.
        this.orderId = orderId;
        this.features.orderStarted(orderId, regenerated);
      },
      ticked: () => this.requestUpdate(),
    });
  }

  /**
   * Where the payment stands; also the `status` attribute, for CSS. Read-only: set by the element.
   * @attr status
   */
  get status(): DqrStatus {
    return this.session.state.kind;
  }

  /**
   * Cancels the QR upstream; while it runs the QR is hidden. Resolves with the backend's order view:
   * `cancel` fires for a cancelled order, `paid` if the customer paid and the order was not
   * cancelled. Rejects with a `ContractError` (code `NOT_CANCELLABLE` when nothing is pending).
   * Before the deadline a failed cancel goes back to the QR and rejects; after it, the cancel is
   * made again until the backend answers, and the promise waits for that answer.
   */
  cancel(options: CancelOptions = {}): Promise<OrderView> {
    return this.session.cancel(options);
  }

  /** Asks the backend for the status now (a cashier's "check now"); the answer arrives as usual. */
  checkStatus(): void {
    this.session.checkStatus();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Coming back after a removal: the backend resumes the same pending order.
    if (this.hasUpdated) this.begin();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.session.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.hasUpdated || changed.has('mirror') || ORDER_INPUTS.some((name) => changed.has(name))) this.begin();
    if (this.getAttribute('status') !== this.status) this.setAttribute('status', this.status);
  }

  protected override updated(): void {
    // The module count lets kiosk mode keep every module at least 4 CSS px wide. Set through the
    // CSSOM: a bound style attribute (styleMap's first render) breaks a strict style-src CSP.
    const qr = this.renderRoot.querySelector<HTMLElement>('div.qr');
    const text = orderOf(this.session.state)?.qrString;
    if (qr && text) qr.style.setProperty('--_modules', String(drawQr(text).size));
  }

  /** Hands the session what the properties now describe: an order to run, or a cashier's screen to follow. */
  private begin(): void {
    if (!this.isConnected) return;
    if (this.mirror) this.session.follow();
    else this.session.start(this.inputs());
  }

  private inputs(): OrderInputs {
    const { endpoint, orderId, amount, currency, expiresIn, storeId, terminalId, format, requestInit, noAutoCancel } =
      this;
    return { endpoint, orderId, amount, currency, expiresIn, storeId, terminalId, format, requestInit, noAutoCancel };
  }

  /** What the QR waits for once the backend has sent it: its words, and the features it waits for. */
  private readyToShow(): Promise<unknown> {
    return Promise.all([this.language.ready, this.features.ready()]);
  }

  /** After the update that shows `next`: the features hear of it, then the event it means fires. */
  private deliver(next: SessionState, previous: SessionState): void {
    const starts = this.starts;
    this.features.changed(next, previous);
    const event = eventFor(next, previous);
    // A customer display fires nothing; a fresh order a feature started in place of this end answers it.
    if (event && !this.session.displaying && this.starts === starts) this.dispatchEvent(domEvent(event));
  }

  override render(): TemplateResult {
    const { state, remaining, announced, displaying } = this.session;
    const loaded = this.language.copy;
    return renderView({
      state,
      copy: loaded ?? en,
      wordless: !loaded && (state.kind === 'idle' || state.kind === 'requesting'),
      remaining,
      announced,
      format: this.format,
      displaying,
      noCancelButton: this.noCancelButton,
      // Asked at each render (every second of the countdown), so a docked keyboard or a mouse shows within a second.
      payOnDevice: this.payOnDevice && matchMedia(TOUCH_DEVICE).matches,
      onCancel: () => this.cancel().catch(() => undefined),
      onRetry: () => this.session.retry(),
    });
  }
}

/**
 * The element's listeners typed by its own event map, the way lib.dom types `HTMLMediaElement`:
 * `addEventListener('paid', …)` on the element gets a `PaidEvent`, while every other element
 * keeps the DOM's types. Types only: the methods are the element's inherited ones.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- declares inherited methods only, no fields.
export interface AmazonPayDqr {
  addEventListener<K extends keyof AmazonPayDqrEventMap>(
    type: K,
    listener: (this: AmazonPayDqr, event: AmazonPayDqrEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof AmazonPayDqrEventMap>(
    type: K,
    listener: (this: AmazonPayDqr, event: AmazonPayDqrEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions,
  ): void;
}
