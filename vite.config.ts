import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { defineConfig, type Plugin } from 'vite';
import { BUILT_IN_LANGUAGES } from './src/element/copy/built-in.js';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The standalone file's languages: `dist/lang/<code>.js`, one plain script per shipped language
 * that a page may load with `<script src>` and the standalone element loads with `import()`. Each
 * hands its copy to the defined element (`register-standalone.ts`), having no registry of its own.
 */
function standaloneLanguageFiles(): Plugin {
  return {
    name: 'standalone-language-files',
    async generateBundle() {
      for (const code of BUILT_IN_LANGUAGES) {
        const result = await esbuild({
          entryPoints: [at(`./src/element/copy/lang/${code}.ts`)],
          bundle: true,
          minify: true,
          format: 'iife',
          target: 'es2021',
          charset: 'utf8',
          write: false,
          logLevel: 'warning',
          plugins: [
            {
              name: 'register-through-the-element',
              setup(build) {
                build.onResolve({ filter: /^\.\.\/languages\.js$/ }, () => ({
                  path: at('./src/element/copy/register-standalone.ts'),
                }));
              },
            },
          ],
        });
        this.emitFile({ type: 'asset', fileName: `lang/${code}.js`, source: result.outputFiles[0].text });
      }
    },
  };
}

/**
 * `vite build` makes the ESM build for bundlers (Lit and qrcode stay external, no side effects but
 * in `define.js` and the language modules, which register themselves); `vite build --mode
 * standalone` makes the one self-registering file for `<script src>` pages, with everything but
 * the shipped languages inside, and those languages beside it. The dev server serves the demo
 * (see `npm start`).
 */
export default defineConfig(({ mode }) => ({
  root: at('./demo'),
  publicDir: false,
  server: { strictPort: true },
  ...(mode === 'standalone'
    ? {
        resolve: {
          alias: [{ find: './load-language.js', replacement: at('./src/element/copy/load-language-standalone.ts') }],
        },
        plugins: [standaloneLanguageFiles()],
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
