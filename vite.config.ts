import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * `vite build` makes the ESM build for bundlers (Lit and qrcode stay external, no side effects but
 * in `define.js`); `vite build --mode standalone` makes the one self-registering file for
 * `<script src>` pages, with everything inside. The dev server serves the demo (see `npm start`).
 */
export default defineConfig(({ mode }) => ({
  root: at('./demo'),
  publicDir: false,
  server: { strictPort: true },
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
