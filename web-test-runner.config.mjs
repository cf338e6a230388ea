import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CHROME_ARGS, findChrome } from './scripts/find-chrome.mjs';

const msw = fileURLToPath(new URL('./node_modules/msw/lib/mockServiceWorker.js', import.meta.url));

/** qrcode ships CommonJS only: serve its entry (or its encoder alone) as one pre-bundled ES module. */
function qrcodeAsEsm() {
  const bundled = {};
  return {
    name: 'qrcode-as-esm',
    async serve(context) {
      const match = /\/node_modules\/qrcode\/lib\/(browser|index|core\/qrcode)\.js$/.exec(context.path);
      if (!match) return undefined;
      const entry = match[1] === 'core/qrcode' ? 'core/qrcode' : 'browser';
      bundled[entry] ??= build({
        entryPoints: [fileURLToPath(new URL(`./node_modules/qrcode/lib/${entry}.js`, import.meta.url))],
        bundle: true,
        format: 'esm',
        write: false,
      }).then((result) => result.outputFiles[0].text);
      return { body: await bundled[entry], type: 'js' };
    },
  };
}

/** msw's service worker must be served from the site root. */
function mswWorker() {
  return {
    name: 'msw-worker',
    serve(context) {
      if (context.path === '/mockServiceWorker.js') {
        return import('node:fs/promises').then((fs) => fs.readFile(msw, 'utf8')).then((body) => ({ body, type: 'js' }));
      }
      return undefined;
    },
  };
}

export default {
  files: ['test/element/**/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['browser', 'development'] },
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  plugins: [
    qrcodeAsEsm(),
    mswWorker(),
    esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)), target: 'es2022' }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: findChrome(),
        headless: true,
        args: CHROME_ARGS,
      },
    }),
  ],
};
