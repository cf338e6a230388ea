import {
  LitElement,
  adoptStyles,
  html,
  nothing,
  unsafeCSS,
  type PropertyDeclarations,
  type PropertyValues,
  type TemplateResult,
} from 'lit';
import { DEFAULT_EXPIRES_IN, checkAmount, checkCurrency, checkExpiresIn, checkOrderId } from './contract/rules.js';
import type { CancelReason, CancelRequest, CreateQrRequest, OrderView, QrFormat } from './contract/types.js';
import { ContractClient, ContractError, asContractError, invalidResponse } from './element/client.js';
import type { Copy } from './element/copy/copy.js';
import { en } from './element/copy/en.js';
import { addLanguage, formatRupees } from './element/copy/languages.js';
import { CountdownController, formatClock, localDeadline } from './element/countdown.js';
import { type AmazonPayDqrEventMap, CancelEvent, DqrErrorEvent, ExpiredEvent, PaidEvent } from './element/events.js';
import type { LatePaymentWatch } from './element/features/late-payment-watch.js';
import type { MirrorLink } from './element/features/mirror.js';
import { OnDemandFeatures } from './element/features/on-demand.js';
import type { Regeneration } from './element/features/regenerate.js';
import type { WakeLockController } from './element/features/wake-lock.js';
import { LanguageController } from './element/language.js';
import { drawQr, renderQr } from './element/qr.js';
import { retrying } from './element/retry.js';
import { type DqrEvent, type DqrState, type DqrStatus, isFinal, orderOf, transition } from './element/state.js';
import { StatusPoller } from './element/status-poller.js';
import { styles } from './element/styles.js';
import { parseUpi } from './element/upi.js';
import { pictureType } from './element/validate.js';

export {
  CancelEvent,
  DqrErrorEvent,
  ExpiredEvent,
  LatePaymentEvent,
  PaidEvent,
  RegenerateEvent,
} from './element/events.js';
export type {
  AmazonPayDqrEventMap,
  CancelDetail,
  DqrErrorDetail,
  ExpiredDetail,
  LatePaymentDetail,
  PaidDetail,
  RegenerateDetail,
} from './element/events.js';
export type { Copy } from './element/copy/copy.js';
/** The English copy, to build a merchant language on with `AmazonPayDqr.addLanguage`. */
export { en as english } from './element/copy/en.js';
export { ContractError } from './element/client.js';
export type { DqrStatus } from './element/state.js';

/** Options of `cancel()`. */
export interface CancelOptions {
  /** Amazon's cancellation reason; default `USER_CANCELLATION`. */
  reason?: CancelReason;
  /** Ask for a refund if the customer already paid; default true. */
  refund?: boolean;
  /** A note Amazon passes to the customer. */
  noteToCustomer?: string;
}

/** Which QR payload to ask for: `auto` asks for both and draws the string itself. */
export type DqrFormat = 'auto' | QrFormat;

/** Seconds left under which the timer turns to the danger colour. */
const LOW_TIME_SECONDS = 30;

/** The icon's colour class in each final state. */
const ICONS = { paid: 'success', expired: '', cancelled: '', failed: 'danger' };

/** States in which the QR (or its placeholder) is on screen. */
const PAYING: readonly DqrStatus[] = ['pending', 'expiring', 'cancelling'];

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
    channel: {},
    mirror: {},
    kiosk: { type: Boolean, reflect: true },
    sound: { type: Boolean },
    latePaymentGrace: { attribute: 'late-payment-grace', type: Number },
    regenerate: { type: Number },
    requestInit: { attribute: false },
    state: { state: true, attribute: false },
    notice: { state: true, attribute: false },
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

  private state: DqrState = { kind: 'idle' };
  private notice = '';

  /** One per order: aborting it ends every request of that order. */
  private run: AbortController | undefined;
  private cancelling: Promise<OrderView> | undefined;
  /** Past the deadline, until the backend says how the order ended: what `cancel()` calls wait on. */
  private settled: Deferred<OrderView> | undefined;
  /** The cancel to make past the deadline: the expiry's own, or the cashier's; none with `no-auto-cancel`. */
  private closing: CancelRequest | undefined;
  private readonly language = new LanguageController(this);
  /** Mirroring, kiosk's wake lock, the chime, the late-payment watch and regeneration: fetched once their attribute is set. */
  private readonly features = new OnDemandFeatures(this);
  private wakeLock: WakeLockController | undefined;
  private mirrorLink: MirrorLink | undefined;
  private lateWatch: LatePaymentWatch | undefined;
  private regeneration: Regeneration | undefined;
  private readonly countdown = new CountdownController(this, () => this.handleDeadline());
  private readonly poller = new StatusPoller(this, {
    fetchStatus: (wait, signal) => this.client.getStatus(this.orderId, wait, signal).then((view) => this.ownView(view)),
    onView: (view) => this.handleView(view),
    onRetrying: (error, first) => {
      this.apply({ type: 'connection', reconnecting: true });
      if (first) this.notifyError(error, true);
    },
    onFatal: (error) => this.apply({ type: 'error', error }),
    onOffline: (offline) => this.apply({ type: 'connection', offline }),
  });

  /** Where the payment stands; also the `status` attribute, for CSS. Read-only. */
  get status(): DqrStatus {
    return this.state.kind;
  }

  /**
   * Cancels the QR upstream; while it runs the QR is hidden. Resolves with the backend's order view:
   * `cancel` fires for a cancelled order, `paid` if the customer paid and the order was not
   * cancelled. Rejects with a `ContractError` (code `NOT_CANCELLABLE` when nothing is pending).
   * Before the deadline a failed cancel goes back to the QR and rejects; after it, the cancel is
   * made again until the backend answers, and the promise waits for that answer.
   */
  cancel({ reason = 'USER_CANCELLATION', refund = true, noteToCustomer }: CancelOptions = {}): Promise<OrderView> {
    if (this.cancelling) return this.cancelling;
    // JSON leaves an absent note out.
    const body: CancelRequest = { reason, refund, noteToCustomer };
    if (this.settled) {
      // The cashier's cancel takes the place of the expiry's own, on the same retries.
      this.closing = body;
      this.poller.checkNow();
      return this.settled.promise;
    }
    const { state, run } = this;
    if (state.kind !== 'pending' || !run) {
      return Promise.reject(
        new ContractError('NOT_CANCELLABLE', `There is no pending payment to cancel (status "${state.kind}").`),
      );
    }
    this.poller.stop();
    this.notice = '';
    this.apply({ type: 'cancel', reason });
    this.cancelling = this.client
      .cancel(state.order.orderId, body, run.signal)
      .then((view) => this.ownView(view))
      .then(
        (view) => {
          if (run === this.run) this.apply({ type: 'view', view });
          return view;
        },
        (error: unknown) => {
          if (run !== this.run || run.signal.aborted) throw error;
          if (this.state.kind === 'cancelling' && this.state.timeUp) {
            // The deadline passed meanwhile: no live QR to go back to; settle with this cancel.
            this.closing = body;
            this.apply({ type: 'cancel-failed' });
            if (this.settled) return this.settled.promise;
            throw error;
          }
          const failure = asContractError(error);
          this.notice = failure.message;
          this.apply({ type: 'cancel-failed' });
          this.notifyError(failure, false);
          throw error;
        },
      )
      .finally(() => {
        this.cancelling = undefined;
      });
    return this.cancelling;
  }

  /** Asks the backend for the status now (a cashier's "check now"); the answer arrives as usual. */
  checkStatus(): void {
    this.poller.checkNow();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Coming back after a removal: the backend resumes the same pending order.
    if (this.hasUpdated) this.startOrder();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.run?.abort();
    this.run = undefined;
    this.endSettling(undefined);
    this.wakeLock?.hold(false);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.updateFeatures(changed);
    if (changed.has('mirror') && this.hasUpdated) this.startOrder();
    const inputs = ['endpoint', 'amount', 'currency', 'expiresIn', 'storeId', 'terminalId', 'format'] as const;
    const waiting = this.state.kind === 'idle' || this.state.kind === 'invalid';
    if (!this.hasUpdated || changed.has('orderId') || (waiting && inputs.some((name) => changed.has(name)))) {
      this.startOrder();
    }
    if (changed.has('state' as keyof AmazonPayDqr)) this.setAttribute('status', this.state.kind);
  }

  /**
   * Fetches the features the attributes ask for, and keeps the loaded ones in step: each is made
   * once its module is there (the update it triggers comes back here) and then catches up with
   * the current state, so none misses what happened while it loaded.
   */
  private updateFeatures(changed: PropertyValues<this>): void {
    const role = this.mirror ? 'follow' : this.channel ? 'publish' : undefined;
    const mirror = role && this.features.get('mirror');
    if (mirror && !this.mirrorLink) {
      this.mirrorLink = new mirror.MirrorLink(this, {
        current: () => ({ state: this.state, deadline: this.countdown.deadlineAt }),
        // A customer display takes the cashier's state, and its countdown while the QR is payable.
        show: (state, deadline) => {
          if (deadline === undefined) this.countdown.stop();
          else if (deadline !== this.countdown.deadlineAt) this.countdown.start(deadline);
          this.apply({ type: 'mirror', state });
        },
        error: (message) => new ContractError('MIRRORED', message),
      });
    }
    this.mirrorLink?.configure(role, this.mirror || this.channel);
    if (changed.has('state' as keyof AmazonPayDqr)) this.mirrorLink?.publish();
    const kiosk = this.kiosk && this.features.get('kiosk');
    if (kiosk && !this.wakeLock) {
      this.wakeLock = new kiosk.WakeLockController(this);
      adoptStyles(this.renderRoot as ShadowRoot, [...AmazonPayDqr.elementStyles, unsafeCSS(kiosk.kioskStyles)]);
    }
    this.wakeLock?.hold(this.isConnected && this.kiosk && this.state.kind === 'pending');
    if (this.sound) this.features.get('sound');
    if (this.latePaymentGrace > 0) this.features.get('late-payment-watch');
    if (this.regenerate > 0) this.features.get('regenerate');
  }

  protected override updated(): void {
    // The module count lets kiosk mode keep every module at least 4 CSS px wide. Set through the
    // CSSOM: a bound style attribute (styleMap's first render) breaks a strict style-src CSP.
    const qr = this.renderRoot.querySelector<HTMLElement>('div.qr');
    const text = orderOf(this.state)?.qrString;
    if (qr && text) qr.style.setProperty('--_modules', String(drawQr(text).size));
  }

  private get client(): ContractClient {
    return new ContractClient(this.endpoint, this.requestInit);
  }

  /** Ends the current order's work and starts the order the inputs describe (also the retry button's click). */
  private startOrder(): void {
    this.run?.abort();
    this.run = undefined;
    this.poller.stop();
    this.countdown.stop();
    this.notice = '';
    this.regeneration?.orderStarted();
    this.apply({ type: 'reset' });
    if (!this.isConnected || this.mirror) return;
    const problem = this.checkInputs();
    if (problem) {
      this.apply({ type: 'invalid', message: problem });
      this.notifyError(new ContractError('INVALID_INPUT', problem), false);
      return;
    }
    const run = new AbortController();
    this.run = run;
    this.apply({ type: 'request' });
    const formats: QrFormat[] = this.format === 'auto' ? ['string', 'image'] : [this.format];
    const body: CreateQrRequest = {
      orderId: this.orderId,
      amount: this.amount,
      currency: 'INR',
      expiresIn: this.expiresIn,
      ...(this.storeId ? { storeId: this.storeId } : {}),
      ...(this.terminalId ? { terminalId: this.terminalId } : {}),
      formats,
    };
    // The same order id gives the same QR, so a 5xx or a lost connection is safe to retry.
    retrying(() => this.client.createQr(body, run.signal), {
      signal: run.signal,
      onRetry: (error, first) => {
        if (run !== this.run) return;
        this.notice = error.message;
        if (first) this.notifyError(error, true);
      },
    })
      .then((view) => this.ownView(view))
      .then((view) => this.readyToShow().then(() => view))
      .then(
        (view) => {
          if (run !== this.run) return;
          this.notice = '';
          this.apply({ type: 'view', view });
        },
        (error: unknown) => {
          if (run === this.run && !run.signal.aborted) this.apply({ type: 'error', error: asContractError(error) });
        },
      );
  }

  /**
   * What the QR waits for (already there, or loaded meanwhile): its words and, in kiosk mode,
   * kiosk's look and wake lock. A kiosk module that cannot be fetched leaves the plain look.
   */
  private readyToShow(): Promise<unknown> {
    return Promise.all([this.language.ready, this.kiosk && this.features.load('kiosk').catch(() => undefined)]);
  }

  private checkInputs(): string | undefined {
    if (!this.endpoint) return 'endpoint is required.';
    if (this.format !== 'auto' && this.format !== 'string' && this.format !== 'image') {
      return 'format must be "auto", "string" or "image".';
    }
    return (
      checkOrderId(this.orderId) ??
      checkAmount(this.amount) ??
      checkCurrency(this.currency) ??
      checkExpiresIn(this.expiresIn)
    );
  }

  /** An answer about another order is as wrong as a malformed one. */
  private ownView(view: OrderView): OrderView {
    if (view.orderId !== this.orderId) {
      throw invalidResponse('it is about a different order');
    }
    return view;
  }

  /** Moves to the next state and starts or stops what that state needs. */
  private apply(event: DqrEvent): void {
    const previous = this.state;
    const next = transition(previous, event);
    if (next === previous) return;
    this.state = next;
    // A customer display only shows what the cashier's element sends it.
    if (this.mirror) return;
    if (next.kind === 'pending' && previous.kind !== 'pending') {
      if (previous.kind === 'requesting') {
        this.countdown.start(localDeadline(next.order.expiresAt, next.order.serverTime));
      }
      if (this.countdown.remaining === 0) this.handleDeadline();
      else this.poller.start();
    }
    if (next.kind === 'expiring' && !this.settled && this.run) this.settle();
    if (this.settled && !PAYING.includes(next.kind)) this.endSettling(next);
    if (isFinal(next) || next.kind === 'error') {
      this.poller.stop();
      this.countdown.stop();
    }
    if (isFinal(next) && !isFinal(previous)) this.ended(next);
    if (next.kind === 'paid' && previous.kind === 'expired') void this.notify(this.finalEvent(next));
    if (next.kind === 'paid' && this.sound) {
      void Promise.all([this.features.load('sound'), this.updateComplete]).then(
        ([{ playPaidChime }]) => playPaidChime(),
        () => undefined,
      );
    }
    if (next.kind === 'error' && previous.kind !== 'error') this.notifyError(next.error, false);
  }

  /** The order is over: report it (or offer a fresh QR) and keep watching for a late payment. */
  private ended(state: DqrState): void {
    if ((state.kind === 'expired' || state.kind === 'cancelled') && this.latePaymentGrace > 0) {
      // The watch asks about the ended order once its module is there.
      this.features.load('late-payment-watch').then(
        ({ LatePaymentWatch }) => {
          if (!this.isConnected) return;
          this.lateWatch ??= new LatePaymentWatch(this, {
            fetchStatus: (id, signal) => this.client.getStatus(id, 0, signal),
            onView: (view) => this.apply({ type: 'late', view }),
          });
          this.lateWatch.watch(state.order.orderId, this.latePaymentGrace);
        },
        () => undefined,
      );
    }
    if (state.kind === 'expired' && this.regenerate > 0) void this.regenerateOrExpire(state);
    else void this.notify(this.finalEvent(state));
  }

  /** Offers the host a fresh QR for the expired order (see `regenerate`); without one it ends as expired. */
  private async regenerateOrExpire(state: DqrState): Promise<void> {
    const expire = await this.features.load('regenerate').then(
      ({ Regeneration }) => (this.regeneration ??= new Regeneration(this)).offer(() => this.state === state),
      () => true,
    );
    if (expire) void this.notify(this.finalEvent(state));
  }

  private finalEvent(state: DqrState): Event {
    const order = orderOf(state)!;
    switch (state.kind) {
      case 'paid':
        return new PaidEvent({ orderId: order.orderId, amount: order.amount, amazonChargeId: order.amazonChargeId });
      case 'expired':
        return new ExpiredEvent({ orderId: order.orderId, cancelOutcome: order.cancel?.outcome });
      case 'cancelled':
        return new CancelEvent({
          orderId: order.orderId,
          reason: state.reason,
          outcome: order.cancel?.outcome,
          refundRequested: order.cancel?.refund ?? false,
        });
      default:
        return new DqrErrorEvent({
          code: 'PAYMENT_FAILED',
          message: 'The payment failed. Start a new order to try again.',
          willRetry: false,
        });
    }
  }

  /** Events fire after the update that shows the new state. */
  private async notify(event: Event): Promise<void> {
    await this.updateComplete;
    this.dispatchEvent(event);
  }

  private notifyError(error: ContractError, willRetry: boolean): void {
    void this.notify(new DqrErrorEvent({ code: error.code, message: error.message, status: error.status, willRetry }));
  }

  /** At the deadline the QR goes; entering `expiring` starts settling the order. */
  private handleDeadline(): void {
    if (this.run) this.apply({ type: 'deadline' });
  }

  /**
   * Past the deadline only the backend can say whether the customer paid in the last seconds, so
   * the element asks (a last check, then the cancel) until it answers, on the watch's backoff, and
   * never calls the order expired or cancelled without that answer.
   */
  private settle(): void {
    this.settled = deferred();
    this.closing ??= this.noAutoCancel ? undefined : { reason: 'SESSION_EXPIRED', refund: true };
    this.poller.settle((signal) => this.settleStep(signal));
  }

  /** One attempt: a last check (a payment in the last seconds wins), then the cancel if still pending. */
  private async settleStep(signal: AbortSignal): Promise<OrderView> {
    const orderId = this.orderId;
    const view = this.ownView(await this.client.getStatus(orderId, 0, signal));
    const body = this.closing;
    if (view.status !== 'pending' || !body || signal.aborted) return view;
    this.apply({ type: 'cancel', reason: body.reason });
    try {
      return this.ownView(await this.client.cancel(orderId, body, signal));
    } catch (error) {
      if (!signal.aborted) this.apply({ type: 'cancel-failed' });
      throw error;
    }
  }

  /** An answer from the watch or the settling; returns whether the order is still open. */
  private handleView(view: OrderView): boolean {
    if (!PAYING.includes(this.state.kind)) return false;
    this.apply({ type: 'view', view });
    // Past the deadline with nothing to cancel (`no-auto-cancel`): the backend's "pending" ends it.
    if (this.state.kind === 'expiring' && !this.closing) this.apply({ type: 'expire' });
    return PAYING.includes(this.state.kind);
  }

  /** Settling is over: `cancel()` callers get the final order, or why it never came. */
  private endSettling(state: DqrState | undefined): void {
    const settled = this.settled;
    if (!settled) return;
    this.settled = undefined;
    this.closing = undefined;
    if (state && isFinal(state)) settled.resolve(orderOf(state)!);
    else if (state?.kind === 'error') settled.reject(state.error);
    else settled.reject(new DOMException('The element stopped before the backend settled the order.', 'AbortError'));
  }

  private handleCancel(): void {
    this.cancel().catch(() => undefined);
  }

  private renderQr(order: OrderView, label: string): TemplateResult {
    const useImage = order.qrImage && (this.format === 'image' || !order.qrString);
    if (useImage) {
      return html`<img
        class="qr qr-img"
        part="qr"
        alt=${label}
        src="data:${pictureType(order.qrImage!)};base64,${order.qrImage}"
      />`;
    }
    return html`<div class="qr" part="qr" role="img" aria-label=${label}>${renderQr(order.qrString!)}</div>`;
  }

  private renderPaying(order: OrderView, copy: Copy, showQr: boolean): TemplateResult {
    const payee = order.qrString ? parseUpi(order.qrString).payee : undefined;
    const amount = formatRupees(order.amount, copy.locale);
    const remaining = this.countdown.remaining;
    return html`
      ${
        showQr
          ? this.renderQr(order, copy.qrLabel(amount, payee))
          : html`<div class="qr-hidden"><div class="spinner"></div></div>`
      }
      <div class="details">
        <p class="amount" part="amount">${amount}</p>
        ${payee ? html`<p class="payee" part="payee">${copy.payTo(payee)}</p>` : nothing}
        ${
          showQr
            ? html`
                <div class="instructions"><slot name="instructions">${copy.instructions}</slot></div>
                <p class="countdown ${remaining <= LOW_TIME_SECONDS ? 'low' : ''}">
                  <span class="label" id="time-left">${copy.timeLeft}</span>
                  <span role="timer" part="countdown" aria-labelledby="time-left"
                    >${formatClock(remaining, copy.locale)}</span
                  >
                </p>
                ${
                  this.noCancelButton || this.mirror
                    ? nothing
                    : html`<div>
                        <button class="cancel" part="cancel-button" type="button" @click=${this.handleCancel}>
                          ${copy.cancelButton}
                        </button>
                      </div>`
                }
              `
            : nothing
        }
      </div>
    `;
  }

  private renderBody(copy: Copy): TemplateResult | typeof nothing {
    const { state } = this;
    switch (state.kind) {
      case 'idle':
      case 'requesting':
        return html`<div class="spinner"></div>`;
      case 'pending':
        return this.renderPaying(state.order, copy, true);
      case 'expiring':
      case 'cancelling':
        return this.renderPaying(state.order, copy, false);
      case 'paid':
      case 'expired':
      case 'cancelled':
      case 'failed':
        return html`<div class="icon ${ICONS[state.kind]}" aria-hidden="true">${state.kind === 'paid' ? '✓' : '✕'}</div>
          <p class="amount" part="amount">${formatRupees(state.order.amount, copy.locale)}</p>`;
      case 'error':
        return state.error.retryable && !this.mirror
          ? html`<button class="retry" part="retry-button" type="button" @click=${this.startOrder}>
              ${copy.retryButton}
            </button>`
          : nothing;
      case 'invalid':
        return nothing;
    }
  }

  private renderStatus(copy: Copy): TemplateResult | string {
    const { state } = this;
    switch (state.kind) {
      case 'idle':
        return this.mirror ? copy.mirrorWaiting : copy.loading;
      case 'requesting':
        return `${this.regeneration?.count ? copy.regenerating : copy.loading} ${this.notice}`.trim();
      case 'pending':
        if (state.offline) return copy.offline;
        if (state.reconnecting) return copy.reconnecting;
        return this.notice ? html`<slot name="error">${copy.error}</slot> ${this.notice}` : '';
      case 'expiring':
        if (state.offline) return `${copy.expiring} ${copy.offline}`;
        return state.reconnecting ? `${copy.expiring} ${copy.stillTrying}` : copy.expiring;
      case 'cancelling':
        return copy.cancelling;
      case 'paid':
        return html`<slot name="paid">${copy.paid}</slot>`;
      case 'expired':
        return html`<slot name="expired">${copy.expired}</slot>
          ${state.order.cancel?.outcome === 'RefundApplicable' ? copy.expiredLatePayment : ''}
          ${this.renderLate(state.order, copy)}`;
      case 'cancelled':
        return html`<slot name="cancelled">${copy.cancelled}</slot>
          ${copy.cancelOutcome(state.order.cancel?.outcome, state.order.cancel?.refund ?? false)}
          ${this.renderLate(state.order, copy)}`;
      case 'failed':
        return html`<slot name="failed">${copy.failed}</slot>`;
      case 'error':
        return html`<slot name="error">${copy.error}</slot> ${state.error.message}`;
      case 'invalid':
        return html`<slot name="error">${copy.invalid}</slot> ${state.message}`;
    }
  }

  private renderLate(order: OrderView, copy: Copy): TemplateResult | typeof nothing {
    return order.latePayment
      ? html`<strong class="late-payment" part="late-payment"
          >${copy.latePayment(order.latePayment.refundStatus)}</strong
        >`
      : nothing;
  }

  override render(): TemplateResult {
    const loaded = this.language.copy;
    const copy = loaded ?? en;
    // Until the page's language first arrives there is only the spinner: show no words in another.
    const wordless = !loaded && (this.state.kind === 'idle' || this.state.kind === 'requesting');
    const paying = PAYING.includes(this.state.kind);
    const announced = this.state.kind === 'pending' ? this.countdown.announced : undefined;
    return html`
      ${orderOf(this.state)?.mode === 'sandbox' ? html`<p class="sandbox" part="sandbox">${copy.sandbox}</p>` : nothing}
      <div class="layout ${paying ? 'paying' : ''}">${this.renderBody(copy)}</div>
      <p class="status" role="status" part="status">${wordless ? '' : this.renderStatus(copy)}</p>
      <p class="visually-hidden" aria-live="polite">${announced ? copy.secondsLeft(announced) : ''}</p>
    `;
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

/** A promise with its settle functions, for callers that wait on something the element finishes later. */
interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  // Nobody may be waiting (no `cancel()` call): an ending without an answer is not unhandled.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
