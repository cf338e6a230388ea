/**
 * Time to QR in headless Chromium: from connecting `<amazonpay-dqr>` to its QR painted, with the
 * backend answering instantly from the page, against an empty Lit element's first render measured
 * the same way on the same page; and the QR encode-and-draw time alone.
 */
import { launchChromium } from '../test/e2e/harness.js';
import { quantile, within, type Figure, type Section } from './measure.js';
import { openPage, servePage } from './page.js';
import type { Timing } from './page/in-page.js';

const RUNS = 300;
const ENCODES = 300;

/** Measures `RUNS` mounts of each kind, interleaved so both see the same page state. */
export async function run(): Promise<Section> {
  const server = await servePage();
  const browser = await launchChromium();
  try {
    const page = await openPage(browser, server.url);
    await page.evaluate(() => window.bench.fakeBackend());
    const qr: Timing[] = [];
    const empty: Timing[] = [];
    await within(
      120_000,
      'time to QR',
      (async () => {
        for (let runIndex = 0; runIndex < RUNS; runIndex++) {
          qr.push(await page.evaluate((id) => window.bench.timeToQr(id), `TTQ-${runIndex}`));
          empty.push(await page.evaluate(() => window.bench.timeToEmptyRender()));
        }
      })(),
    );
    const encode = await page.evaluate((runs) => window.bench.encodeTimes(runs), ENCODES);
    const figures: Figure[] = [];
    for (const [step, label] of [
      ['painted', 'QR painted'],
      ['dom', 'QR in the DOM (before the frame)'],
    ] as const) {
      for (const [q, statistic] of [
        [0.5, 'median'],
        [0.95, 'p95'],
      ] as const) {
        figures.push({
          name: `connected → ${label}, ${statistic} of ${RUNS}`,
          value: quantile(
            qr.map((timing) => timing[step]),
            q,
          ),
          unit: 'ms',
          baseline: {
            name: `empty Lit element, same step, ${statistic}`,
            value: quantile(
              empty.map((timing) => timing[step]),
              q,
            ),
          },
        });
      }
    }
    figures.push({
      name: `QR encode + path (UPI string, level M), median of ${ENCODES}`,
      value: quantile(encode, 0.5),
      unit: 'ms',
      baseline: {
        name: 'QR in the DOM, median',
        value: quantile(
          qr.map((timing) => timing.dom),
          0.5,
        ),
      },
    });
    return { title: 'Time to QR (headless Chromium)', figures };
  } finally {
    await browser.close();
    await server.close();
  }
}
