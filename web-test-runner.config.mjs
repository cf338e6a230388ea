import rollupCommonjs from '@rollup/plugin-commonjs';
import rollupReplace from '@rollup/plugin-replace';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import { readFile } from 'node:fs/promises';
import {
  CHROME_ARGS,
  ENGINES,
  engineLabel,
  findBrowser,
  firefoxOptions,
  startWebKitDriver,
} from './scripts/browsers.mjs';

/** Packages that ship CommonJS only, served to the page as ES modules. */
const commonJs = '**/node_modules/{qrcode,dijkstrajs,react,react-dom,scheduler}/**';

/**
 * The engines the suite runs in (`BROWSERS=firefox,webkit` picks some), one at a time. Locally an
 * engine whose browser is missing is skipped, saying so; under CI every one is required.
 */
const wanted = process.env.BROWSERS?.split(',').map((name) => name.trim()) ?? ENGINES;
const unknown = wanted.filter((name) => !ENGINES.includes(name));
if (unknown.length > 0) throw new Error(`BROWSERS names ${unknown.join(', ')}: the engines are ${ENGINES.join(', ')}.`);
const found = wanted.map((engine) => ({ engine, ...findBrowser(engine) }));
for (const { engine, missing } of found.filter((each) => each.missing)) {
  if (process.env.CI === 'true') throw new Error(`${engineLabel(engine)} is required under CI. ${missing}`);
  console.warn(`Skipping ${engineLabel(engine)}: ${missing}`);
}
/** The WebDriver server the WebKit launcher talks to, for the whole run. */
let webkitDriver;
const launchers = {
  chromium: (path) => chromeLauncher({ launchOptions: { executablePath: path, headless: true, args: CHROME_ARGS } }),
  firefox: (path) => chromeLauncher({ puppeteer: puppeteerCore, launchOptions: firefoxOptions(path) }),
  webkit: async (path) => {
    webkitDriver = await startWebKitDriver(path);
    return webdriverLauncher(webkitDriver.options);
  },
};
const browsers = await Promise.all(
  found.filter((each) => each.path).map(({ engine, path }) => launchers[engine](path)),
);

export default {
  files: ['test/element/**/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['browser', 'development'] },
  concurrency: 1,
  concurrentBrowsers: 1,
  testFramework: { config: { timeout: 10000 } },
  browsers,
  plugins: [
    { name: 'webkit-driver', serverStop: () => webkitDriver?.stop() },
    // React's development build: its warnings reach the console, where the tests look for them.
    fromRollup(rollupReplace)({
      include: commonJs,
      preventAssignment: true,
      values: { 'process.env.NODE_ENV': '"development"' },
    }),
    // Each file on its own, so a `require` returns the required file's `module.exports`.
    fromRollup(rollupCommonjs)({ include: commonJs, requireReturnsDefault: true, strictRequires: 'auto' }),
    {
      name: 'msw-worker',
      // msw's service worker must be served from the site root.
      serve: ({ path }) =>
        path === '/mockServiceWorker.js' &&
        readFile('node_modules/msw/lib/mockServiceWorker.js', 'utf8').then((body) => ({ body, type: 'js' })),
    },
    esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2022' }),
  ],
};
