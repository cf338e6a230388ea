/**
 * Leaks in headless Chromium: 1,000 mount → QR → pay → `paid` → remove cycles against the page's
 * fake backend. The heap after a forced GC, before and after; the `<amazonpay-dqr>` instances still
 * alive; and the timers and requests left running once every element is gone.
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

/** Live instances of `<amazonpay-dqr>`, counted by the inspector after a GC. */
async function liveElements(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const prototype = await cdp.send('Runtime.evaluate', {
    expression: `customElements.get('amazonpay-dqr').prototype`,
  });
  const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: prototype.result.objectId! });
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
    const started = performance.now();
    await within(
      180_000,
      `${CYCLES} pay cycles`,
      page.evaluate((count) => window.bench.payCycles(count, 'LEAK'), CYCLES),
    );
    const cycleMs = (performance.now() - started) / CYCLES;
    const left = await page.evaluate(() => window.bench.pending());
    const after = await heapAfterGc(cdp);
    const alive = await liveElements(cdp);
    await new Promise((resolve) => setTimeout(resolve, LONGEST_REQUEST_TIMEOUT_MS));
    const settled = await heapAfterGc(cdp);
    return {
      title: `Leaks (${CYCLES} mount/pay/remove cycles, headless Chromium)`,
      figures: [
        {
          name: 'JS heap after GC, after the cycles',
          value: after / 1024,
          unit: 'KiB',
          baseline: { name: `heap after GC before the cycles (after ${WARM_UP} warm-up cycles)`, value: before / 1024 },
        },
        { name: 'heap growth per cycle, right after the cycles', value: (after - before) / CYCLES, unit: 'B' },
        {
          name: 'JS heap after GC, once the request timeouts have fired (36 s later)',
          value: settled / 1024,
          unit: 'KiB',
          baseline: { name: 'heap before the cycles', value: before / 1024 },
        },
        { name: 'heap growth per cycle, once the timeouts have fired', value: (settled - before) / CYCLES, unit: 'B' },
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
