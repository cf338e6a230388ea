import rollupCommonjs from '@rollup/plugin-commonjs';
import rollupReplace from '@rollup/plugin-replace';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import { chromeLauncher } from '@web/test-runner-chrome';
import { readFile } from 'node:fs/promises';
import { CHROME_ARGS, findChrome } from './scripts/find-chrome.mjs';

/** Packages that ship CommonJS only, served to the page as ES modules. */
const commonJs = '**/node_modules/{qrcode,dijkstrajs,react,react-dom,scheduler}/**';

/** The browsers the suite runs in: one launcher each. */
const browsers = [
  chromeLauncher({ launchOptions: { executablePath: findChrome(), headless: true, args: CHROME_ARGS } }),
];

export default {
  files: ['test/element/**/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['browser', 'development'] },
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  browsers,
  plugins: [
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
