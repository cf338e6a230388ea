/**
 * Watches an order's status. One request at a time: a long poll the backend holds until the status
 * changes, the next one only after the last answer. A backend that answers at once gets polled on
 * a slowly growing interval instead; 5xx and network failures retry with exponential backoff and
 * jitter; going offline pauses, coming back online or to the foreground checks at once. Past the
 * deadline the same loop settles the order instead: it repeats the expiry's check and cancel until
 * the backend answers, since only the backend can say whether the customer paid in time.
 *
 * Only the request is inside the failure handling: what the session does with an answer is its
 * own, so a fault there can never pass for the network's and be retried.
 */
import type { OrderView } from '../contract/types.js';
import type { SessionEnvironment, Unsubscribe } from './environment.js';
import { type ContractError, toContractError } from './errors.js';
import { backoffDelay } from './retry.js';

/** Seconds the backend is asked to hold each status request. */
export const LONG_POLL_SECONDS = 25;
/** An answer sooner than this to a long poll means the backend does not hold requests. */
const HELD_MIN_MS = 1_000;
const POLL_INTERVAL_MS = 2_000;
const POLL_INTERVAL_MAX_MS = 10_000;
const POLL_INTERVAL_GROWTH = 1.25;

/** What the poller asks and reports. */
export interface StatusPollerOptions {
  /** One status request; `wait` is 0 for an immediate answer. */
  fetchStatus(wait: number, signal: AbortSignal): Promise<OrderView>;
  /** Every valid answer; return false once the order is settled to stop asking. */
  onView(view: OrderView): boolean;
  /** A retryable failure; the next try follows on the backoff. */
  onRetrying(error: ContractError): void;
  /** A failure that retrying will not fix (4xx, invalid response, an internal fault): watching stops. */
  onFatal(error: ContractError): void;
  /** The device went offline (true) or came back (false) while watching. */
  onOffline(offline: boolean): void;
}

/** One attempt at settling an order past its deadline (a last check, then a cancel). */
export type SettleStep = (signal: AbortSignal) => Promise<OrderView>;

/** Long-polls one order's status, and settles it past its deadline. */
export class StatusPoller {
  private running = false;
  /** Set while settling: what each request does instead of the long poll. */
  private step: SettleStep | undefined;
  private offline = false;
  private request: AbortController | undefined;
  private cancelTimer: Unsubscribe | undefined;
  private failures = 0;
  private interval = POLL_INTERVAL_MS;

  constructor(
    private readonly environment: Pick<SessionEnvironment, 'now' | 'after' | 'random' | 'online'>,
    private readonly options: StatusPollerOptions,
  ) {}

  /** Starts watching (after the QR is shown). */
  watch(): void {
    this.begin(undefined);
  }

  /**
   * Replaces the watch with `step`, repeated on the same backoff, offline pause and wake-ups until
   * `onView` takes an answer as final (the order is settled) or a failure is fatal.
   */
  settle(step: SettleStep): void {
    this.begin(step);
  }

  /** Stops watching and aborts the request in flight. */
  stop(): void {
    this.running = false;
    this.step = undefined;
    this.cancelPending();
  }

  /** Asks right now (replacing a held long poll, or cutting a settling backoff short), then keeps on. */
  checkNow(): void {
    if (!this.running || this.offline) return;
    // A settling request is an immediate one: let it answer rather than send it twice.
    if (this.step && this.request) return;
    this.schedule(0, 0);
  }

  /** The device's connection went (false) or came back (true). */
  connection(online: boolean): void {
    if (!this.running || online !== this.offline) return;
    this.offline = !online;
    if (online) {
      this.options.onOffline(false);
      this.checkNow();
      return;
    }
    // A held long poll would hang; a settling request may still bring the answer that ends the order.
    if (this.step) this.clearTimer();
    else this.cancelPending();
    this.options.onOffline(true);
  }

  private begin(step: SettleStep | undefined): void {
    this.stop();
    this.step = step;
    this.running = true;
    // Settling goes on with the watch's outage, if any: backing off from where it was.
    if (!step) this.failures = 0;
    this.interval = POLL_INTERVAL_MS;
    this.offline = !this.environment.online();
    if (this.offline) this.options.onOffline(true);
    else this.schedule(0, step ? 0 : LONG_POLL_SECONDS);
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private cancelPending(): void {
    this.clearTimer();
    this.request?.abort();
    this.request = undefined;
  }

  private schedule(delay: number, wait: number): void {
    this.cancelPending();
    if (delay === 0) void this.poll(wait);
    else this.cancelTimer = this.environment.after(delay, () => void this.poll(wait));
  }

  private async poll(wait: number): Promise<void> {
    this.cancelTimer = undefined;
    const request = new AbortController();
    this.request = request;
    const started = this.environment.now();
    let view: OrderView;
    try {
      view = await (this.step ? this.step(request.signal) : this.options.fetchStatus(wait, request.signal));
    } catch (error) {
      if (this.request === request && !request.signal.aborted) this.failed(toContractError(error));
      return;
    }
    if (this.request !== request) return;
    this.request = undefined;
    this.failures = 0;
    if (!this.options.onView(view)) {
      this.stop();
      return;
    }
    // The answer may have started something else already (settling): that goes on instead.
    if (!this.running || this.request || this.cancelTimer) return;
    if (this.offline) this.options.onOffline(true);
    else if (this.step) this.schedule(POLL_INTERVAL_MS, 0);
    else if (wait > 0 && this.environment.now() - started < HELD_MIN_MS) {
      this.schedule(this.interval, LONG_POLL_SECONDS);
      this.interval = Math.min(POLL_INTERVAL_MAX_MS, this.interval * POLL_INTERVAL_GROWTH);
    } else {
      this.interval = POLL_INTERVAL_MS;
      this.schedule(0, LONG_POLL_SECONDS);
    }
  }

  private failed(failure: ContractError): void {
    this.request = undefined;
    if (!failure.retryable) {
      this.stop();
      this.options.onFatal(failure);
      return;
    }
    // Only a settling request outlives going offline; it failed for that: wait for the connection.
    if (this.offline) {
      this.options.onOffline(true);
      return;
    }
    this.failures++;
    this.options.onRetrying(failure);
    // An immediate answer, not a held one, tells the cashier at once that the connection is back.
    this.schedule(backoffDelay(this.failures, this.environment.random()), 0);
  }
}
