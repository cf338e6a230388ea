/**
 * The page the Chromium benchmarks drive: the self-registering `dist/standalone/amazonpay-dqr.min.js` (what a
 * `<script src>` page loads) after `page/in-page.ts`, served on loopback, optionally in front of a
 * real backend so the element reaches it on the same origin.
 */
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { serve, type FetchHandler, type RunningServer } from '../src/server/node-adapter.js';

const PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>amazonpay-dqr benchmark</title></head>
  <body>
    <script src="/bench.js"></script>
    <script src="/amazonpay-dqr.min.js"></script>
  </body>
</html>`;

async function benchScript(): Promise<string> {
  const result = await build({
    entryPoints: [new URL('page/in-page.ts', import.meta.url).pathname],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** Serves the page at `/`; any other path goes to `backend` (404 without one). */
export async function servePage(backend?: FetchHandler): Promise<RunningServer> {
  const files: Record<string, string> = {
    '/': PAGE,
    '/bench.js': await benchScript(),
    '/amazonpay-dqr.min.js': await readFile(
      new URL('../dist/standalone/amazonpay-dqr.min.js', import.meta.url),
      'utf8',
    ),
  };
  return serve(async (request) => {
    const path = new URL(request.url).pathname;
    const body = files[path];
    if (body !== undefined) {
      const type = path === '/' ? 'text/html' : 'text/javascript';
      return new Response(body, { headers: { 'content-type': `${type}; charset=utf-8` } });
    }
    return backend ? backend(request) : new Response('Not found', { status: 404 });
  });
}

/** A fresh page at `url`, failing loudly on any page error. */
export async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => {
    throw new Error(`The benchmark page failed: ${error.message}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('amazonpay-dqr') !== undefined && 'bench' in window);
  return page;
}
