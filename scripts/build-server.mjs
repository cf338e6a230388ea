import { build } from 'esbuild';

/**
 * Bundles the reference backend for Node: `dist/server/index.js` (the `amazonpay-dqr/server`
 * entry), `dist/server/sqlite.js` (`amazonpay-dqr/server/sqlite`, the SQLite store, which needs
 * better-sqlite3), `dist/server/redis.js` (`amazonpay-dqr/server/redis`, which needs redis) and
 * `dist/server/main.js` (the `amazonpay-dqr-backend` command). Dependencies stay external; the
 * browser bundles never see this code.
 */
await build({
  entryPoints: {
    index: 'src/server/index.ts',
    sqlite: 'src/server/store/sqlite-store.ts',
    redis: 'src/server/redis.ts',
    main: 'src/server/main.ts',
  },
  outdir: 'dist/server',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
