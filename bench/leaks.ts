/**
 * Leaks in headless Chromium: 1,000 mount → QR → pay → `paid` → remove cycles against the page's
 * fake backend, then 1,000 more to tell a leak (growing with every cycle) from caches warming up.
 * The heap after a forced GC; the `<amazonpay-dqr>` instances still alive; the timers and requests
 * left running once every element is gone; and the abort signals left once request timeouts fire.
 */
import type { CDPSession } from 'playwright-core';
import { launchChromium } from '../test/e2e/harness.js';
import { within, type Section } from './measure.js';
import { openPage, servePage } from './page.js';

const CYCLES = 1_000;
const WARM_UP = 50;
/**
 * The element's longest request timeout (`AbortSignal.timeout`: a 25 s long poll plus its 10 s
 * margin): the browser keeps each such signal until it fires, so the heap is measured again after it.
 */
const LONGEST_REQUEST_TIMEOUT_MS = 36_000;

async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

/** Live objects whose prototype is `prototype` (an expression in the page), counted after a GC. */
async function liveObjects(cdp: CDPSession, prototype: string): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { result: found } = await cdp.send('Runtime.evaluate', { expression: prototype });
  const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: found.objectId! });
  const { result } = await cdp.send('Runtime.callFunctionOn', {
    objectId: objects.objectId!,
    functionDeclaration: 'function () { return this.length; }',
    returnByValue: true,
  });
  return result.value as number;
}

/** Runs the cycles and reports the heap and what is left behind. */
export async function run(): Promise<Section> {
  const server = await servePage();
  const browser = await launchChromium();
  try {
    const page = await openPage(browser, server.url);
    const cdp = await page.context().newCDPSession(page);
    await page.evaluate(() => window.bench.fakeBackend());
    await page.evaluate((count) => window.bench.payCycles(count, 'WARM'), WARM_UP);
    const before = await heapAfterGc(cdp);
    const cycles = (prefix: string) =>
      within(
        180_000,
        `${CYCLES} pay cycles`,
        page.evaluate(([count, id]) => window.bench.payCycles(count, id), [CYCLES, prefix] as const),
      );
    const started = performance.now();
    await cycles('LEAK');
    const cycleMs = (performance.now() - started) / CYCLES;
    const left = await page.evaluate(() => window.bench.pending());
    const after = await heapAfterGc(cdp);
    const alive = await liveObjects(cdp, `customElements.get('amazonpay-dqr').prototype`);
    await cycles('AGAIN');
    const afterAgain = await heapAfterGc(cdp);
    await new Promise((resolve) => setTimeout(resolve, LONGEST_REQUEST_TIMEOUT_MS));
    const settled = await heapAfterGc(cdp);
    const signals = await liveObjects(cdp, 'AbortSignal.prototype');
    return {
      title: `Leaks (${CYCLES} + ${CYCLES} mount/pay/remove cycles, headless Chromium)`,
      figures: [
        {
          name: 'JS heap after GC, after the cycles',
          value: after / 1024,
          unit: 'KiB',
          baseline: { name: `heap after GC before the cycles (after ${WARM_UP} warm-up cycles)`, value: before / 1024 },
        },
        { name: 'heap growth per cycle, right after the cycles', value: (after - before) / CYCLES, unit: 'B' },
        {
          name: `heap growth per cycle over ${CYCLES} more cycles (linear growth would be a leak)`,
          value: (afterAgain - after) / CYCLES,
          unit: 'B',
          baseline: { name: 'growth per cycle over the first ones', value: (after - before) / CYCLES },
        },
        {
          name: 'JS heap after GC, once the request timeouts have fired (36 s later)',
          value: settled / 1024,
          unit: 'KiB',
          baseline: { name: 'heap before the cycles', value: before / 1024 },
        },
        {
          name: 'heap growth per cycle, once the timeouts have fired',
          value: (settled - before) / (2 * CYCLES),
          unit: 'B',
          note: `over all ${2 * CYCLES} cycles`,
        },
        { name: '`AbortSignal`s alive once the timeouts have fired', value: signals, unit: 'signals' },
        { name: '`<amazonpay-dqr>` instances alive after GC', value: alive, unit: 'elements' },
        { name: 'timeouts left pending (setTimeout not fired nor cleared)', value: left.timeouts, unit: 'timers' },
        { name: 'intervals left running', value: left.intervals, unit: 'timers' },
        { name: 'requests left in flight', value: left.fetches, unit: 'requests' },
        { name: 'one cycle (mount → QR → pay → paid → remove)', value: cycleMs, unit: 'ms' },
      ],
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
