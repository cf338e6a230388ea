/**
 * Payment detection latency: from the sandbox marking an order paid to the element's `paid` event
 * in headless Chromium, against the real backend and sandbox on loopback. With long poll + IPN (the
 * notification wakes the held poll) and with plain status polling (the notification dropped, the
 * backend asking Amazon every second while the poll waits), side by side.
 */
import type { Browser } from 'playwright-core';
import { createApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config/index.js';
import { launchChromium } from '../test/e2e/harness.js';
import { quantile, within, type Figure, type Section } from './measure.js';
import { openPage, servePage } from './page.js';

const RUNS = 30;
/** The backend's status schedule in the polling runs: a Get-status call every second. */
const POLL_EVERY_SECONDS = 1;

/**
 * Latencies (ms, on Node's clock) of `RUNS` payments. Each payment lands at a random moment within
 * one polling period after the QR shows, so the polling runs sample the whole period.
 */
async function latencies(browser: Browser, ipn: boolean): Promise<number[]> {
  let origin = '';
  const app = await createApp(loadConfig({ DQR_STORE: 'memory', DQR_STATUS_SCHEDULE: String(POLL_EVERY_SECONDS) }), {
    origin: () => origin,
  });
  const server = await servePage(app.fetch);
  origin = server.url;
  const page = await openPage(browser, server.url);
  try {
    const results: number[] = [];
    for (let runIndex = 0; runIndex < RUNS; runIndex++) {
      const orderId = `DET-${ipn ? 'IPN' : 'POLL'}-${runIndex}`;
      await page.evaluate((id) => window.bench.mount(id), orderId);
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * POLL_EVERY_SECONDS * 1000));
      const paid = page.evaluate((id) => window.bench.paidAt(id), orderId);
      const start = performance.now();
      app.sandbox!.pay(orderId, { notify: ipn });
      await within(10_000, `the paid event of ${orderId}`, paid);
      results.push(performance.now() - start);
    }
    return results;
  } finally {
    await page.close();
    await app.close();
    await server.close();
  }
}

/** Runs both ways and reports the polling figures against the IPN ones. */
export async function run(): Promise<Section> {
  const browser = await launchChromium();
  try {
    const ipn = await latencies(browser, true);
    const polling = await latencies(browser, false);
    const figures: Figure[] = [];
    for (const [q, statistic] of [
      [0.5, 'median'],
      [0.95, 'p95'],
    ] as const) {
      const baseline = { name: `long poll + IPN, ${statistic}`, value: quantile(ipn, q) };
      figures.push(
        { name: `long poll + IPN, ${statistic} of ${RUNS}`, value: baseline.value, unit: 'ms' },
        {
          name: `status polling every ${POLL_EVERY_SECONDS} s (IPN dropped), ${statistic} of ${RUNS}`,
          value: quantile(polling, q),
          unit: 'ms',
          baseline,
        },
      );
    }
    return { title: 'Payment detection latency (sandbox marks paid → paid event)', figures };
  } finally {
    await browser.close();
  }
}
