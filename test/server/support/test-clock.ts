/**
 * One clock for the backend and the sandbox, with the backend's timers on it: moving the clock
 * runs every timer that falls due, in order, so minutes of polling, expiry and follow-up checks
 * pass in an instant and the same way every time.
 */
import type { Timers } from '../../../src/server/backend/index.js';

interface Due {
  at: number;
  seq: number;
  callback: () => void;
}

/** A clock the test moves, and `Timers` that fire when it passes them. */
export class TestClock {
  private time: number;
  private seq = 0;
  private due: Due[] = [];

  constructor(start = Date.parse('2025-01-15T10:30:00Z')) {
    this.time = start;
  }

  /** Epoch milliseconds now; pass as `now`. */
  readonly now = () => this.time;

  /** Pass as the backend's `timers`. */
  readonly timers: Timers = {
    after: (ms, callback) => {
      const entry = { at: this.time + Math.max(0, ms), seq: (this.seq += 1), callback };
      this.due.push(entry);
      return () => {
        this.due = this.due.filter((candidate) => candidate !== entry);
      };
    },
    clear: () => {
      this.due = [];
    },
  };

  /** Moves the clock by `ms`, running each timer due on the way at its own time. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const next = this.due.filter((entry) => entry.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.due = this.due.filter((entry) => entry !== next);
      this.time = Math.max(this.time, next.at);
      next.callback();
    }
    this.time = target;
  }

  /** How many timers wait to fire. */
  get pending(): number {
    return this.due.length;
  }
}
