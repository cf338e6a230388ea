/** The engines, in the order the suites run them. */
export type Engine = 'chromium' | 'firefox' | 'webkit';
export const ENGINES: Engine[];

/** Headless flags for CI containers: no sandbox as root, no GPU, no calls home. */
export const CHROME_ARGS: string[];

/** The engine's name for people: `Chromium`, `Firefox`, `WebKit`. */
export function engineLabel(engine: Engine): string;

/** Where the engine's browser is, or one line saying what is missing and how to install it. */
export function findBrowser(
  engine: Engine,
): { path: string; missing?: undefined } | { path?: undefined; missing: string };

/** The path of the Chrome or Chromium to drive; exits with a one-line hint when there is none. */
export function findChrome(): string;

/** Firefox's launch options for puppeteer-core: headless, over WebDriver BiDi. */
export function firefoxOptions(executablePath: string): { browser: 'firefox'; executablePath: string; headless: true };

/** A WebKitWebDriver on a free port, and webdriverio's `remote()` options for a MiniBrowser session. */
export interface WebKitDriver {
  options: { hostname: string; port: number; capabilities: Record<string, unknown> };
  stop(): Promise<void>;
}
export function startWebKitDriver(miniBrowser: string): Promise<WebKitDriver>;
