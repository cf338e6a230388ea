import { fileURLToPath } from 'node:url';
import { build as esbuild, type Plugin as EsbuildPlugin } from 'esbuild';
import { defineConfig, type Plugin } from 'vite';
import { BUILT_IN_LANGUAGES } from './src/element/copy/built-in.js';
import { FEATURES } from './src/element/features/catalog.js';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** One minified, self-contained file from `entry`, as esbuild bundles it for the standalone file's companions. */
async function companionFile(entry: string, format: 'iife' | 'esm', plugins: EsbuildPlugin[] = []): Promise<string> {
  const result = await esbuild({
    entryPoints: [at(entry)],
    bundle: true,
    minify: true,
    format,
    target: 'es2021',
    charset: 'utf8',
    write: false,
    logLevel: 'warning',
    plugins,
  });
  return result.outputFiles[0].text;
}

/** Each language file hands its copy to the defined element instead of a registry of its own. */
const registerThroughTheElement: EsbuildPlugin = {
  name: 'register-through-the-element',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/languages\.js$/ }, () => ({
      path: at('./src/element/copy/register-standalone.ts'),
    }));
  },
};

/**
 * The standalone file's companions: `dist/lang/<code>.js`, one plain script per shipped language
 * that a page may load with `<script src>` and the standalone element loads with `import()` (each
 * registers through `register-standalone.ts`); and `dist/features/<name>.js`, one ES module per
 * opt-in feature that the element loads with `import()` once its attribute is set. Each bundles what
 * it imports at run time (the late-payment and regenerate features, the event they fire), so each
 * stands alone.
 */
function standaloneCompanionFiles(): Plugin {
  return {
    name: 'standalone-companion-files',
    async generateBundle() {
      for (const code of BUILT_IN_LANGUAGES) {
        const source = await companionFile(`./src/element/copy/lang/${code}.ts`, 'iife', [registerThroughTheElement]);
        this.emitFile({ type: 'asset', fileName: `lang/${code}.js`, source });
      }
      for (const name of FEATURES) {
        const source = await companionFile(`./src/element/features/${name}.ts`, 'esm');
        this.emitFile({ type: 'asset', fileName: `features/${name}.js`, source });
      }
    },
  };
}

/**
 * `vite build` makes the ESM build for bundlers (Lit and qrcode stay external, no side effects but
 * in `define.js` and the language modules, which register themselves); `vite build --mode
 * standalone` makes the one self-registering file for `<script src>` pages, with everything but
 * the shipped languages and the opt-in features inside, and those beside it. The dev server serves the demo
 * (see `npm start`).
 */
export default defineConfig(({ mode }) => ({
  root: at('./demo'),
  publicDir: false,
  server: { strictPort: true },
  ...(mode === 'standalone'
    ? {
        resolve: {
          alias: [
            { find: './load-language.js', replacement: at('./src/element/copy/load-language-standalone.ts') },
            { find: './load-feature.js', replacement: at('./src/element/features/load-feature-standalone.ts') },
          ],
        },
        plugins: [standaloneCompanionFiles()],
      }
    : {}),
  build:
    mode === 'standalone'
      ? {
          outDir: at('./dist'),
          emptyOutDir: false,
          target: 'es2021',
          lib: {
            entry: at('./src/define.ts'),
            formats: ['iife'],
            name: 'AmazonPayDqr',
            fileName: () => 'amazonpay-dqr.min.js',
          },
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
