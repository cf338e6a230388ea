/**
 * Counts down to the server's expiry. The deadline is absolute (`expiresAt`, moved by the offset
 * between the server's clock and ours), and each tick recomputes the time left from it, so a
 * throttled background tab or a slow device never drifts, and a reload resumes the same deadline.
 */
import type { SessionEnvironment, Unsubscribe } from './environment.js';

/** Seconds left at which screen readers hear the time: a few times, never every second. */
export const ANNOUNCE_AT: readonly number[] = [300, 240, 180, 120, 60, 30, 10];

/** The local instant at which the server's `expiresAt` falls, given the server's clock reading then. */
export function localDeadline(expiresAt: string, serverTime: string, receivedAt: number): number {
  return Date.parse(expiresAt) + (receivedAt - Date.parse(serverTime));
}

/** A countdown on the session's clock: `onTick` after every second, `onDeadline` once at zero. */
export class Countdown {
  /** Whole seconds left, rounded up (shows 0:01 until the last second is over). */
  remaining = 0;
  /** Seconds left when the last threshold of `ANNOUNCE_AT` was crossed, for the polite live region. */
  announced: number | undefined;
  private deadline = 0;
  private cancelTimer: Unsubscribe | undefined;

  constructor(
    private readonly environment: Pick<SessionEnvironment, 'now' | 'after'>,
    private readonly onTick: () => void,
    private readonly onDeadline: () => void,
  ) {}

  /** The local epoch ms being counted down to. */
  get deadlineAt(): number {
    return this.deadline;
  }

  /** Counts down to `deadline` (local epoch ms). */
  start(deadline: number): void {
    this.stop();
    this.deadline = deadline;
    this.remaining = this.secondsLeft();
    this.announced = undefined;
    this.tick();
  }

  /** Stops counting; the last value stays for display. */
  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  /** A hidden tab's timers are throttled or frozen: shows the right time (or reaches the deadline) at once. */
  refresh(): void {
    if (!this.cancelTimer) return;
    this.stop();
    this.tick();
  }

  private secondsLeft(): number {
    return Math.max(0, Math.ceil((this.deadline - this.environment.now()) / 1000));
  }

  private tick = (): void => {
    this.cancelTimer = undefined;
    const before = this.remaining;
    this.remaining = this.secondsLeft();
    if (this.remaining > 0 && ANNOUNCE_AT.some((at) => this.remaining <= at && before > at)) {
      this.announced = this.remaining;
    }
    this.onTick();
    if (this.remaining === 0) {
      this.onDeadline();
      return;
    }
    // Wake up just after the next whole second of the time left ticks over.
    const untilNext = (this.deadline - this.environment.now()) % 1000 || 1000;
    this.cancelTimer = this.environment.after(untilNext, this.tick);
  };
}
