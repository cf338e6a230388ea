import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { CHROME_ARGS, findChrome } from '../../scripts/browsers.mjs';

/** The demo server, started exactly as `npm start` starts it, on a free port. */
export interface DemoServer {
  url: string;
  stop(): Promise<void>;
}

export async function startDemoServer(env: Record<string, string> = {}): Promise<DemoServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${output}`)));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = /(http:\/\/[\w.:[\]-]+)\//.exec(output);
      if (match) resolve(match[1]);
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChrome(),
    args: CHROME_ARGS,
  });
}

/** One suite's demo server and Chromium: both started before its tests and stopped after them. */
export function demoForSuite(): { readonly server: DemoServer; readonly browser: Browser } {
  const demo = {} as { server: DemoServer; browser: Browser };
  before(async () => {
    [demo.server, demo.browser] = await Promise.all([startDemoServer(), launchChromium()]);
  });
  after(async () => {
    await demo.browser?.close();
    await demo.server?.stop();
  });
  return demo;
}

/** Reads the QR code a person would scan: the pixels on screen, not the markup. */
export async function decodeQr(locator: Locator): Promise<string | undefined> {
  const png = PNG.sync.read(await locator.screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

/**
 * Collects what would tell a developer the page is broken: uncaught errors and console errors,
 * Content-Security-Policy violations among them.
 */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  return problems;
}
