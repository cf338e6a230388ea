/**
 * One payment at a time, from the QR to its end, with no DOM and no Lit: a session asks the
 * merchant backend for the QR, counts down to the server's deadline, watches the status, settles
 * the order past the deadline (a last check, then the expiry's cancel, until the backend answers),
 * cancels on request and moves to a fresh order when asked. Everything it knows is one
 * `SessionState` value changed only by `transition`; what each change means to the page is
 * `eventFor`'s to say. The browser gives it a clock, timers, the page's signals and `fetch`
 * (`SessionEnvironment`); a test or a Node process gives it fakes and runs the same logic.
 */
import type { CancelReason, CancelRequest, OrderView } from '../contract/types.js';
import type { ContractCalls } from './client.js';
import { Countdown, localDeadline } from './countdown.js';
import type { SessionEnvironment, Unsubscribe } from './environment.js';
import { ContractError, invalidResponse, toContractError } from './errors.js';
import { type OrderInputs, checkInputs, createRequest, sameOrder } from './inputs.js';
import { StatusPoller } from './poller.js';
import { retrying } from './retry.js';
import { PAYING_KINDS, type SessionAction, type SessionState, isFinal, orderOf, transition } from './state.js';

/** Options of `cancel()`. */
export interface CancelOptions {
  /** Amazon's cancellation reason; default `USER_CANCELLATION`. */
  reason?: CancelReason;
  /** Ask for a refund if the customer already paid; default true. */
  refund?: boolean;
  /** A note Amazon passes to the customer. */
  noteToCustomer?: string;
}

/** What a session tells whoever shows it; every method is optional. */
export interface SessionListener {
  /** The state moved from `previous` to `next` (one call per change, in order). */
  changed?(next: SessionState, previous: SessionState): void;
  /** A run of `orderId` started: the host's order, or (`regenerated`) a fresh one for an expired QR. */
  started?(orderId: string, regenerated: boolean): void;
  /** A second of the countdown went by. */
  ticked?(): void;
}

/** How a session is set up beside its environment. */
export interface PaymentSessionOptions {
  /** What the QR waits for once the backend has sent it (the page's words, a feature's look). */
  beforeQr?(): Promise<unknown>;
}

/** The cancel the expiry makes: a payment in the last seconds is refunded. */
const EXPIRY_CANCEL: CancelRequest = { reason: 'SESSION_EXPIRED', refund: true };

/** One order's run: aborting it ends every request of that order. */
interface Run {
  readonly orderId: string;
  readonly controller: AbortController;
}

/** A promise with its settle functions, for callers that wait on something the session finishes later. */
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

/** Runs one order at a time for whoever shows it (the element, a test, a Node process). */
export class PaymentSession {
  private current: SessionState = { kind: 'idle' };
  private inputs: OrderInputs | undefined;
  private run: Run | undefined;
  /** A customer display: it shows another session's states and makes no calls. */
  private following = false;
  /** The cashier's cancel before the deadline, shared by every `cancel()` call while it runs. */
  private cancelling: Promise<OrderView> | undefined;
  /** Past the deadline, until the backend says how the order ended: what `cancel()` calls wait on. */
  private settled: Deferred<OrderView> | undefined;
  private unwatch: Unsubscribe[] = [];
  private readonly listeners = new Set<SessionListener>();
  private readonly countdown: Countdown;
  private readonly poller: StatusPoller;

  constructor(
    private readonly environment: SessionEnvironment,
    private readonly options: PaymentSessionOptions = {},
  ) {
    this.countdown = new Countdown(
      environment,
      () => this.tell((listener) => listener.ticked?.()),
      () => this.reachDeadline(),
    );
    this.poller = new StatusPoller(environment, {
      fetchStatus: (wait, signal) =>
        this.ask(this.run!.orderId, (calls, orderId) => calls.getStatus(orderId, wait, signal)),
      onView: (view) => {
        this.apply({ type: 'view', view });
        return PAYING_KINDS.includes(this.current.kind);
      },
      onRetrying: (error) => this.apply({ type: 'retrying', error }),
      onFatal: (error) => this.apply({ type: 'error', error }),
      onOffline: (offline) => this.apply({ type: 'offline', offline }),
    });
  }

  /** Where the payment stands. */
  get state(): SessionState {
    return this.current;
  }

  /** The order being run, if any. */
  get orderId(): string | undefined {
    return this.run?.orderId;
  }

  /** Whole seconds left to pay, rounded up. */
  get remaining(): number {
    return this.countdown.remaining;
  }

  /** Seconds left when a screen reader was last told the time (a few times per QR, never every second). */
  get announced(): number | undefined {
    return this.countdown.announced;
  }

  /** The local epoch ms the countdown runs to. */
  get deadline(): number {
    return this.countdown.deadlineAt;
  }

  /** Whether this session is a customer display (see `follow`). */
  get displaying(): boolean {
    return this.following;
  }

  /** Adds a listener; the returned function removes it. */
  listen(listener: SessionListener): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs the order `inputs` describe. The order already running (the same order id, e.g. one the
   * session regenerated to) goes on, with the new inputs for its later calls, as does an invalid
   * one whose terms did not change; any other starts afresh, and bad inputs end in `invalid`
   * before any request.
   */
  start(inputs: OrderInputs): void {
    const same = this.run
      ? this.run.orderId === inputs.orderId
      : this.current.kind === 'invalid' && this.inputs !== undefined && sameOrder(this.inputs, inputs);
    if (same && !this.following) {
      this.inputs = inputs;
      return;
    }
    this.begin(inputs, false);
  }

  /** Starts the current order again (the retry button after an error). */
  retry(): void {
    if (this.inputs && !this.following) this.begin(this.inputs, false);
  }

  /** Replaces the expired order with a fresh one, `orderId`, on the same terms. */
  regenerate(orderId: string): void {
    if (this.inputs && !this.following) this.begin({ ...this.inputs, orderId }, true);
  }

  /** Becomes a customer display: no order of its own, only what `show` gives it. A display stays one. */
  follow(): void {
    if (!this.following) {
      this.halt();
      this.endSettling(undefined);
      this.following = true;
      this.apply({ type: 'reset' });
    }
    this.watchPage();
  }

  /** On a customer display: the cashier's state, and the deadline its countdown runs to while the QR is payable. */
  show(state: SessionState, deadline: number | undefined): void {
    if (!this.following) return;
    if (deadline === undefined) this.countdown.stop();
    else if (deadline !== this.countdown.deadlineAt) this.countdown.start(deadline);
    this.apply({ type: 'mirror', state });
  }

  /** Stops every request and timer (the element left the page); the state stays as it was shown. */
  stop(): void {
    this.halt();
    for (const unwatch of this.unwatch.splice(0)) unwatch();
    this.endSettling(undefined);
  }

  /** Asks the backend for the status now (a cashier's "check now"); the answer arrives as usual. */
  checkStatus(): void {
    this.poller.checkNow();
  }

  /**
   * Cancels the QR upstream; while it runs the QR is hidden. Resolves with the backend's order view.
   * Rejects with a `ContractError` (code `NOT_CANCELLABLE` when nothing is pending). Before the
   * deadline a failed cancel goes back to the QR and rejects; after it, the cancel is made again
   * until the backend answers, and the promise waits for that answer.
   */
  cancel({ reason = 'USER_CANCELLATION', refund = true, noteToCustomer }: CancelOptions = {}): Promise<OrderView> {
    if (this.cancelling) return this.cancelling;
    // JSON leaves an absent note out.
    const request: CancelRequest = { reason, refund, noteToCustomer };
    if (this.settled) {
      this.apply({ type: 'close', request });
      this.poller.checkNow();
      return this.settled.promise;
    }
    const { current, run } = this;
    if (current.kind !== 'pending' || !run) {
      return Promise.reject(
        new ContractError('NOT_CANCELLABLE', `There is no pending payment to cancel (status "${current.kind}").`),
      );
    }
    this.poller.stop();
    this.apply({ type: 'cancel', request }, run);
    this.cancelling = this.ask(run.orderId, (calls, orderId) => calls.cancel(orderId, request, run.controller.signal))
      .then(
        (view) => {
          this.apply({ type: 'view', view }, run);
          return view;
        },
        (error: unknown) => {
          if (run.controller.signal.aborted) throw error;
          const state = this.current;
          if (state.kind === 'cancelling' && state.timeUp) {
            // The deadline passed meanwhile: no live QR to go back to; settle with this cancel.
            this.apply({ type: 'cancel-failed' }, run);
            if (this.settled) return this.settled.promise;
            throw error;
          }
          this.apply({ type: 'cancel-failed', error: toContractError(error) }, run);
          throw error;
        },
      )
      .finally(() => {
        this.cancelling = undefined;
      });
    return this.cancelling;
  }

  /** One status answer about `orderId` (an order that ended), for the late-payment watch. */
  statusOf(orderId: string, signal: AbortSignal): Promise<OrderView> {
    return this.ask(orderId, (calls) => calls.getStatus(orderId, 0, signal));
  }

  /** An answer about an order after it ended: a late payment to show, or an expired order paid after all. */
  late(view: OrderView): void {
    this.apply({ type: 'late', view });
  }

  /**
   * Moves to the next state, tells the listeners, then starts or stops what that state needs.
   * The one place stale work is dropped: an answer for a run that is over changes nothing.
   */
  private apply(action: SessionAction, run = this.run): void {
    if (run !== this.run) return;
    const previous = this.current;
    const next = transition(previous, action);
    if (next === previous) return;
    this.current = next;
    try {
      for (const listener of this.listeners) listener.changed?.(next, previous);
      this.effects(next, previous);
    } catch (error) {
      this.fault(error);
    }
  }

  private effects(next: SessionState, previous: SessionState): void {
    // A customer display only shows what the cashier's session sends it.
    if (this.following) return;
    if (next.kind === 'pending' && previous.kind !== 'pending') {
      if (previous.kind === 'requesting') {
        this.countdown.start(localDeadline(next.order.expiresAt, next.order.serverTime, this.environment.now()));
      }
      if (this.countdown.remaining === 0) this.reachDeadline();
      else this.poller.watch();
    }
    if (next.kind === 'expiring' && !this.settled) this.settle();
    if (this.settled && !PAYING_KINDS.includes(next.kind)) this.endSettling(next);
    if (isFinal(next) || next.kind === 'error') {
      this.poller.stop();
      this.countdown.stop();
    }
  }

  /**
   * An exception while handling a change (a listener's, or the session's own): the order cannot be
   * trusted to go on, so it stops as an `INTERNAL` error instead of passing for a network failure.
   */
  private fault(error: unknown): void {
    if (isFinal(this.current) || this.current.kind === 'error') {
      queueMicrotask(() => {
        throw error;
      });
      return;
    }
    this.apply({ type: 'error', error: toContractError(error) });
  }

  /** Calls every listener, a fault in one ending the order as `fault` says. */
  private tell(call: (listener: SessionListener) => void): void {
    try {
      for (const listener of this.listeners) call(listener);
    } catch (error) {
      this.fault(error);
    }
  }

  private begin(inputs: OrderInputs, regenerated: boolean): void {
    this.halt();
    this.following = false;
    this.inputs = inputs;
    this.apply({ type: 'reset' });
    const problem = checkInputs(inputs);
    if (problem) {
      this.apply({ type: 'invalid', message: problem });
      return;
    }
    const run: Run = { orderId: inputs.orderId, controller: new AbortController() };
    this.run = run;
    this.watchPage();
    this.tell((listener) => listener.started?.(run.orderId, regenerated));
    this.apply({ type: 'request', regenerating: regenerated }, run);
    void this.request(run, inputs);
  }

  /** Ends the current run's requests and timers. */
  private halt(): void {
    this.run?.controller.abort();
    this.run = undefined;
    this.poller.stop();
    this.countdown.stop();
  }

  private watchPage(): void {
    if (this.unwatch.length > 0) return;
    this.unwatch = [
      this.environment.watchConnection((online) => this.poller.connection(online)),
      this.environment.watchVisibility(() => {
        this.countdown.refresh();
        this.poller.checkNow();
      }),
    ];
  }

  /** The QR: asked for until the backend answers (the same order id gives the same QR), then shown once ready. */
  private async request(run: Run, inputs: OrderInputs): Promise<void> {
    const { signal } = run.controller;
    const body = createRequest(inputs);
    let view: OrderView;
    try {
      view = await retrying(() => this.ask(run.orderId, (calls) => calls.createQr(body, signal)), {
        signal,
        environment: this.environment,
        onRetry: (error) => this.apply({ type: 'retrying', error }, run),
      });
      await this.options.beforeQr?.();
    } catch (error) {
      if (!signal.aborted) this.apply({ type: 'error', error: toContractError(error) }, run);
      return;
    }
    this.apply({ type: 'view', view }, run);
  }

  /**
   * One contract call about `orderId`, with the host's endpoint and `RequestInit` as they are now;
   * an answer about another order is as wrong as a malformed one.
   */
  private async ask(
    orderId: string,
    call: (calls: ContractCalls, orderId: string) => Promise<OrderView>,
  ): Promise<OrderView> {
    const { endpoint = '', requestInit = {} } = this.inputs ?? {};
    const view = await call(this.environment.client(endpoint, requestInit), orderId);
    if (view.orderId !== orderId) throw invalidResponse('it is about a different order');
    return view;
  }

  /** At the deadline the QR goes; entering `expiring` starts settling the order. */
  private reachDeadline(): void {
    if (this.run) this.apply({ type: 'deadline', closing: this.inputs?.noAutoCancel ? undefined : EXPIRY_CANCEL });
  }

  /**
   * Past the deadline only the backend can say whether the customer paid in the last seconds, so
   * the session asks (a last check, then the cancel) until it answers, on the watch's backoff, and
   * never calls the order expired or cancelled without that answer.
   */
  private settle(): void {
    this.settled = deferred();
    const run = this.run!;
    this.poller.settle((signal) => this.settleStep(run, signal));
  }

  /** One attempt: a last check (a payment in the last seconds wins), then the cancel if still pending. */
  private async settleStep(run: Run, signal: AbortSignal): Promise<OrderView> {
    const view = await this.ask(run.orderId, (calls, orderId) => calls.getStatus(orderId, 0, signal));
    const closing = this.current.kind === 'expiring' ? this.current.closing : undefined;
    if (view.status !== 'pending' || !closing || signal.aborted) return view;
    this.apply({ type: 'cancel', request: closing }, run);
    try {
      return await this.ask(run.orderId, (calls, orderId) => calls.cancel(orderId, closing, signal));
    } catch (error) {
      if (!signal.aborted) this.apply({ type: 'cancel-failed' }, run);
      throw error;
    }
  }

  /** Settling is over: `cancel()` callers get the final order, or why it never came. */
  private endSettling(state: SessionState | undefined): void {
    const settled = this.settled;
    if (!settled) return;
    this.settled = undefined;
    if (state && isFinal(state)) settled.resolve(orderOf(state)!);
    else if (state?.kind === 'error') settled.reject(state.error);
    else settled.reject(new DOMException('The element stopped before the backend settled the order.', 'AbortError'));
  }
}
