#!/usr/bin/env node
/**
 * `npm run size`: fails when a built file grows past its gzip budget, so a change that bloats what
 * `<script src>` pages download is caught in review, not in production. Reads `dist/` as built.
 */
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

/** Gzip budgets in bytes (1 kB = 1,000 B), per built file. */
const budgets = [{ file: 'dist/amazonpay-dqr.min.js', gzip: 20_000 }];

let over = false;
for (const { file, gzip: budget } of budgets) {
  const size = gzipSync(await readFile(new URL(`../${file}`, import.meta.url)), { level: 9 }).length;
  const verdict = size <= budget ? 'ok' : `OVER by ${size - budget} B`;
  console.log(`${file}: ${size} B gzip of ${budget} B budget: ${verdict}`);
  over ||= size > budget;
}
if (over) {
  console.error('Size budget exceeded: see BENCHMARKS.md (Size) for where the bytes go.');
  process.exitCode = 1;
}
