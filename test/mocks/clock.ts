/**
 * A fake clock for fault tests: the element's timers, countdown and per-request timeouts run on it,
 * while msw answers over the real (service worker) network, so time is advanced in small steps
 * with a real frame between them for answers to arrive.
 */
import sinon from 'sinon';

/** The fake clock and the ways a test moves it. */
export interface TestClock {
  readonly fake: sinon.SinonFakeTimers;
  /** Moves time forward by `ms` in steps of `stepMs`, letting the network answer after each step. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Moves time forward until `done()` holds; fails after `limitMs` of fake time. */
  until(done: () => boolean, limitMs?: number, stepMs?: number): Promise<void>;
  /** Real timers and `AbortSignal.timeout` again. */
  restore(): void;
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

/**
 * Installs fake `setTimeout`, `clearTimeout` and `Date` (the msw worker must already be started)
 * and makes `AbortSignal.timeout` use the fake `setTimeout`, so a hung request times out on it.
 */
export function useTestClock(now = Date.parse('2025-03-01T10:00:00Z')): TestClock {
  const fake = sinon.useFakeTimers({ now, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const timeout = sinon.stub(AbortSignal, 'timeout').callsFake((ms: number) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')), ms);
    return controller.signal;
  });
  const advance = async (ms: number, stepMs = 250) => {
    for (let left = ms; left > 0; left -= stepMs) {
      await fake.tickAsync(Math.min(stepMs, left));
      await nextFrame();
    }
  };
  return {
    fake,
    advance,
    async until(done, limitMs = 120_000, stepMs = 250) {
      for (let spent = 0; !done(); spent += stepMs) {
        if (spent >= limitMs) throw new Error(`Still waiting after ${limitMs} ms of fake time.`);
        await advance(stepMs, stepMs);
      }
    },
    restore() {
      timeout.restore();
      fake.restore();
    },
  };
}
