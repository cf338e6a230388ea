/**
 * Counts down to the server's expiry. The deadline is absolute (`expiresAt`, moved by the offset
 * between the server's clock and ours), and each tick recomputes the time left from it, so a
 * throttled background tab or a slow device never drifts, and a reload resumes the same deadline.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Seconds left at which screen readers hear the time: a few times, never every second. */
export const ANNOUNCE_AT: readonly number[] = [300, 240, 180, 120, 60, 30, 10];

/** `m:ss`, as shown on the timer, in the digits `locale` writes numbers with. */
export function formatClock(seconds: number, locale = 'en-IN'): string {
  const whole = Math.max(0, seconds);
  const minutes = new Intl.NumberFormat(locale, { useGrouping: false }).format(Math.floor(whole / 60));
  const secs = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2, useGrouping: false }).format(whole % 60);
  return `${minutes}:${secs}`;
}

/** The local instant at which the server's `expiresAt` falls, given the server's clock reading. */
export function localDeadline(expiresAt: string, serverTime: string, receivedAt = Date.now()): number {
  return Date.parse(expiresAt) + (receivedAt - Date.parse(serverTime));
}

/** A countdown owned by an element: stops when the element leaves the page. */
export class CountdownController implements ReactiveController {
  /** Whole seconds left, rounded up (shows 0:01 until the last second is over). */
  remaining = 0;
  /** Seconds left when the last threshold of `ANNOUNCE_AT` was crossed, for the polite live region. */
  announced: number | undefined;
  private deadline = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onDeadline: () => void,
  ) {
    host.addController(this);
  }

  /** The local epoch ms being counted down to. */
  get deadlineAt(): number {
    return this.deadline;
  }

  /** Counts down to `deadline` (local epoch ms), calling `onDeadline` once when it is reached. */
  start(deadline: number): void {
    this.stop();
    this.deadline = deadline;
    this.remaining = this.secondsLeft();
    this.announced = undefined;
    this.tick();
  }

  /** Stops counting; the last value stays for display. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.handleVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.handleVisibility);
    this.stop();
  }

  /** A hidden tab's timers are throttled or frozen: show the right time (or reach the deadline) as soon as it is seen again. */
  private handleVisibility = (): void => {
    if (document.visibilityState !== 'visible' || this.timer === undefined) return;
    clearTimeout(this.timer);
    this.tick();
  };

  private secondsLeft(): number {
    return Math.max(0, Math.ceil((this.deadline - Date.now()) / 1000));
  }

  private tick = (): void => {
    const before = this.remaining;
    this.remaining = this.secondsLeft();
    if (this.remaining > 0 && ANNOUNCE_AT.some((at) => this.remaining <= at && before > at)) {
      this.announced = this.remaining;
    }
    this.host.requestUpdate();
    if (this.remaining === 0) {
      this.timer = undefined;
      this.onDeadline();
      return;
    }
    // Wake up just after the next whole second of the time left ticks over.
    const untilNext = (this.deadline - Date.now()) % 1000 || 1000;
    this.timer = setTimeout(this.tick, untilNext);
  };
}
