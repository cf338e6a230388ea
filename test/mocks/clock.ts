/**
 * A fake clock for fault tests: the element's timers, countdown and per-request timeouts run on it,
 * while msw answers over the real (service worker) network. The clock stands still while a call is
 * on its way: after each step it waits until every call the page sent has its answer or is held
 * by the fake backend on purpose, so no fake time passes in transit, however slow the engine.
 */
import sinon from 'sinon';
import { isHeld } from './backend.js';
import { type FetchWatch, watchFetch } from './fetch-watch.js';

/** The fake clock, the calls the page sent, and the ways a test moves time. */
export interface TestClock {
  readonly fake: sinon.SinonFakeTimers;
  /** Every call the page sent while the clock is installed. */
  readonly calls: FetchWatch;
  /** Moves time forward by `ms` in steps of `stepMs`, letting the network answer after each step. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Moves time forward until `done()` holds; fails after `limitMs` of fake time. */
  until(done: () => boolean, limitMs?: number, stepMs?: number): Promise<void>;
  /** Real timers and `AbortSignal.timeout` again (`fetch` stays watched until `sinon.restore()`). */
  restore(): void;
}

/** The page's own `setTimeout`, taken before any test fakes it: waiting for the network is real time. */
const realSetTimeout = window.setTimeout.bind(window);
const tasks = new MessageChannel();
/** One turn of the page's event loop (a message, not a timer: timers are clamped to 4 ms). */
const nextTask = () =>
  new Promise((resolve) => {
    tasks.port1.onmessage = resolve;
    tasks.port2.postMessage(undefined);
  });
const realDelay = (ms: number) => new Promise((resolve) => realSetTimeout(resolve, ms));

/**
 * Installs fake `setTimeout`, `clearTimeout` and `Date` (the msw worker must already be started),
 * makes `AbortSignal.timeout` use the fake `setTimeout`, so a hung request times out on it, and
 * watches `fetch` (use `calls`, not another `watchFetch`).
 */
export function useTestClock(now = Date.parse('2025-03-01T10:00:00Z')): TestClock {
  const calls = watchFetch();
  const fake = sinon.useFakeTimers({ now, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const timeout = sinon.stub(AbortSignal, 'timeout').callsFake((ms: number) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')), ms);
    return controller.signal;
  });
  const inTransit = () => [...calls.unanswered].some((call) => !isHeld(call));
  /** One real task for what the answers set off, then more while a call is still on its way. */
  const settle = async () => {
    await nextTask();
    while (inTransit()) await realDelay(5);
  };
  const advance = async (ms: number, stepMs = 250) => {
    for (let left = ms; left > 0; left -= stepMs) {
      await fake.tickAsync(Math.min(stepMs, left));
      await settle();
    }
  };
  return {
    fake,
    calls,
    advance,
    async until(done, limitMs = 120_000, stepMs = 250) {
      await settle();
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
