import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import puppeteer, { type Page } from 'puppeteer-core';
import { remote } from 'webdriverio';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import {
  CHROME_ARGS,
  ENGINES,
  engineLabel,
  findBrowser,
  firefoxOptions,
  startWebKitDriver,
  type Engine,
} from '../../scripts/browsers.mjs';
import { startDemoServer } from './harness.js';

/** What the smoke needs of a browser, whichever protocol drives it. */
interface Tab {
  open(url: string): Promise<void>;
  /** Resolves once the element's `status` attribute is `status`. */
  untilStatus(status: string): Promise<void>;
  attribute(name: string): Promise<string | null>;
  /** A PNG of the element as it is on screen. */
  elementPicture(): Promise<Buffer>;
  /** Script errors and Content-Security-Policy violations the page reported. */
  problems(): Promise<string[]>;
  close(): Promise<void>;
}

const ELEMENT = 'amazonpay-dqr';
const WAIT_MS = 30_000;
/** A till's screen: the whole element in view, so the picture holds the whole QR. */
const SCREEN = { width: 1280, height: 1000 };

/** Resolves after the next frame is painted: what the element rendered is on screen by then. */
function painted(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}

/** Counts CSP violations in the page; run before the page's own scripts where the driver can. */
function watchViolations() {
  const found: string[] = [];
  (window as unknown as { violations: string[] }).violations = found;
  document.addEventListener('securitypolicyviolation', (event) =>
    found.push(`CSP blocked ${event.blockedURI || 'inline'} (${event.violatedDirective})`),
  );
  window.addEventListener('error', (event) => found.push(`page error: ${event.message}`));
}

/** Chromium over the DevTools protocol, Firefox over WebDriver BiDi: the watch starts with the document. */
async function puppeteerTab(launch: Parameters<typeof puppeteer.launch>[0]): Promise<Tab> {
  const browser = await puppeteer.launch(launch);
  const page: Page = await browser.newPage();
  await page.setViewport(SCREEN);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${String(error)}`));
  await page.evaluateOnNewDocument(watchViolations);
  return {
    async open(url) {
      await page.goto(url);
    },
    async untilStatus(status) {
      await page.waitForSelector(`${ELEMENT}[status="${status}"]`, { timeout: WAIT_MS });
    },
    attribute: (name) => page.$eval(ELEMENT, (element, name) => element.getAttribute(name), name),
    async elementPicture() {
      await page.evaluate(painted);
      const element = await page.$(ELEMENT);
      return Buffer.from(await element!.screenshot());
    },
    async problems() {
      const seen = await page.evaluate(() => (window as unknown as { violations: string[] }).violations);
      return [...errors, ...seen];
    },
    close: () => browser.close(),
  };
}

/**
 * WebKit's MiniBrowser over classic WebDriver, which has no script before the page's own: the
 * watch starts once the page has loaded, before the QR is drawn and the payment is made.
 */
async function webkitTab(miniBrowser: string): Promise<Tab> {
  const driver = await startWebKitDriver(miniBrowser);
  try {
    const browser = await remote({ ...driver.options, logLevel: 'warn' });
    await browser.setWindowSize(SCREEN.width, SCREEN.height);
    return {
      async open(url) {
        await browser.url(url);
        await browser.execute(watchViolations);
      },
      async untilStatus(status) {
        await browser.$(`${ELEMENT}[status="${status}"]`).waitForExist({ timeout: WAIT_MS });
      },
      attribute: (name) => browser.$(ELEMENT).getAttribute(name),
      async elementPicture() {
        await browser.execute(painted);
        const element = await browser.$(ELEMENT);
        return Buffer.from(await browser.takeElementScreenshot(await element.elementId), 'base64');
      },
      problems: () => browser.execute(() => (window as unknown as { violations: string[] }).violations),
      async close() {
        await browser.deleteSession();
        await driver.stop();
      },
    };
  } catch (error) {
    await driver.stop();
    throw error;
  }
}

function openTab(engine: Engine, path: string): Promise<Tab> {
  if (engine === 'chromium') return puppeteerTab({ executablePath: path, headless: true, args: CHROME_ARGS });
  if (engine === 'firefox') return puppeteerTab(firefoxOptions(path));
  return webkitTab(path);
}

function decode(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

/** Locally an engine whose browser is missing is skipped, saying what to install; under CI none may be. */
function skipReason(engine: Engine): string | false {
  const { missing } = findBrowser(engine);
  if (!missing || process.env.CI === 'true') return false;
  return `${engineLabel(engine)}: ${missing}`;
}

/**
 * The script-tag shop page as `npm start` serves it (the self-registering file from the standalone
 * build, a strict Content-Security-Policy) in each engine a till or a shopper uses.
 */
describe('the script-tag shop page in every engine', () => {
  for (const engine of ENGINES) {
    it(
      `${engineLabel(engine)}: loads under the strict CSP, shows a QR that scans to the amount, and ends paid`,
      {
        skip: skipReason(engine),
      },
      async () => {
        const { path, missing } = findBrowser(engine);
        assert.ok(path, missing);
        const server = await startDemoServer();
        const tab = await openTab(engine, path);
        try {
          await tab.open(`${server.url}/shop.html`);
          await tab.untilStatus('pending');
          const upi = decode(await tab.elementPicture());
          assert.match(upi ?? '', /^upi:\/\/pay\?/, 'the QR on screen scans');
          assert.equal(new URL(upi!).searchParams.get('am'), '799.00');

          const orderId = await tab.attribute('order-id');
          const paid = await fetch(`${server.url}/sandbox/control/orders/${orderId}/pay`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          });
          assert.equal(paid.status, 200);
          await tab.untilStatus('paid');
          assert.deepEqual(await tab.problems(), []);
        } finally {
          await tab.close();
          await server.stop();
        }
      },
    );
  }
});
