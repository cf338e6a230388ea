/** Timers that never keep the process alive and that one `clear()` cancels, for `close()`. */

export interface Timers {
  /** Runs `callback` after `ms`; returns a function that cancels it. */
  after(ms: number, callback: () => void): () => void;
  clear(): void;
}

/** A set of unref'd timeouts owned by one backend. */
export function createTimers(): Timers {
  const pending = new Set<NodeJS.Timeout>();
  return {
    after(ms, callback) {
      const timer = setTimeout(() => {
        pending.delete(timer);
        callback();
      }, ms);
      timer.unref();
      pending.add(timer);
      return () => {
        clearTimeout(timer);
        pending.delete(timer);
      };
    },
    clear() {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    },
  };
}
