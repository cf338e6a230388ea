import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { defineConfig, type Plugin } from 'vite';
import { FEATURES, LANGUAGES } from './src/lazy/names.js';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** One minified, self-contained file from `entry`, as esbuild bundles it for the standalone file's companions. */
async function companionFile(entry: string, format: 'iife' | 'esm'): Promise<string> {
  const result = await esbuild({
    entryPoints: [at(entry)],
    bundle: true,
    minify: true,
    format,
    target: 'es2021',
    // Non-ASCII as escapes: see the standalone file's `charset`.
    charset: 'ascii',
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

/**
 * The standalone file's companions: `dist/standalone/lang/<code>.js`, one plain script per shipped language
 * that a page may load with `<script src>` and the standalone element loads with `import()` (each
 * adds its copy to the page's language store, `src/i18n/store.ts`); and `dist/features/<name>.js`,
 * one ES module per opt-in feature that the element loads with `import()` once its attribute is
 * set (`dist/standalone/features/<name>.js`). Each bundles what it imports at run time (the events
 * the features fire), so each stands alone.
 */
function standaloneCompanionFiles(): Plugin {
  return {
    name: 'standalone-companion-files',
    async generateBundle() {
      for (const code of LANGUAGES) {
        const source = await companionFile(`./src/i18n/lang/${code}.ts`, 'iife');
        this.emitFile({ type: 'asset', fileName: `lang/${code}.js`, source });
      }
      for (const name of FEATURES) {
        const source = await companionFile(`./src/view/features/${name}.ts`, 'esm');
        this.emitFile({ type: 'asset', fileName: `features/${name}.js`, source });
      }
    },
  };
}

/**
 * The modules whose import has an effect: `define.ts` registers the tag, each `i18n/lang/<code>.ts`
 * adds its language. The package's `sideEffects` names them as built (`./dist/define.js`,
 * `./dist/i18n/lang/*.js`); this build reads the same list for `src/`, where it matches nothing, so
 * it would take them for side-effect free and drop `react.ts`'s import of `define.js` and each
 * language module's `addLanguage`. Their sources keep their effects here.
 */
function keepSideEffects(): Plugin {
  const sideEffects = (JSON.parse(readFileSync(at('./package.json'), 'utf8')) as { sideEffects: string[] }).sideEffects;
  const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const sources = sideEffects.map(
    (glob) =>
      new RegExp(
        `^${escape(at('./src/'))}${glob
          .slice('./dist/'.length)
          .replace(/\.js$/, '.ts')
          .split('*')
          .map(escape)
          .join('[^/]*')}$`,
      ),
  );
  return {
    name: 'keep-side-effects',
    transform(_code, id) {
      return sources.some((source) => source.test(id)) ? { moduleSideEffects: true } : undefined;
    },
  };
}

/**
 * `vite build` makes the ESM build for bundlers (Lit and qrcode stay external, no side effects but
 * in `define.js` and `i18n/lang/<code>.js`, which add their language); `vite build --mode
 * standalone` makes the one self-registering file for `<script src>` pages, with everything but
 * the shipped languages and the opt-in features inside, and those beside it. The dev server serves
 * the demo (see `npm start`).
 */
export default defineConfig(({ mode }) => ({
  root: at('./demo'),
  publicDir: false,
  server: { strictPort: true },
  ...(mode === 'standalone'
    ? {
        // The one module the standalone file swaps: where the languages and features come from.
        resolve: { alias: [{ find: './modules.js', replacement: at('./src/lazy/modules-standalone.ts') }] },
        plugins: [standaloneCompanionFiles()],
      }
    : { plugins: [keepSideEffects()] }),
  build:
    mode === 'standalone'
      ? {
          // Its own folder: the files a page serves together, and nothing else.
          outDir: at('./dist/standalone'),
          emptyOutDir: true,
          target: 'es2021',
          lib: {
            entry: at('./src/define.ts'),
            formats: ['iife'],
            name: 'AmazonPayDqr',
            fileName: () => 'amazonpay-dqr.min.js',
          },
          // Non-ASCII (`…`, `✓`, the languages' scripts) as `\u` escapes: a page without `<meta
          // charset>` decodes a classic script in its own legacy encoding, and "…" would show as "â€¦".
          rolldownOptions: { output: { charset: 'ascii' } },
        }
      : {
          outDir: at('./dist'),
          emptyOutDir: true,
          target: 'es2021',
          minify: false,
          sourcemap: true,
          lib: {
            entry: {
              'amazonpay-dqr': at('./src/amazonpay-dqr.ts'),
              define: at('./src/define.ts'),
              react: at('./src/react.ts'),
            },
            formats: ['es'],
          },
          rolldownOptions: {
            external: [/^lit(\/.*)?$/, /^@lit\//, /^qrcode(\/.*)?$/, /^react(\/.*)?$/],
            // One file per source module, beside the declarations tsc writes for it.
            output: { preserveModules: true, preserveModulesRoot: at('./src') },
          },
        },
}));
