#!/usr/bin/env node
/**
 * `npm run size`: fails when a built file grows past its gzip budget, so a change that bloats what
 * `<script src>` pages download is caught in review, not in production. Reads `dist/` as built.
 */
import { readFile, readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/standalone/', import.meta.url);
const scripts = async (folder) =>
  (await readdir(new URL(`${folder}/`, dist)))
    .filter((name) => name.endsWith('.js'))
    .map((name) => `${folder}/${name}`);

/**
 * Gzip budgets in bytes (1 kB = 1,000 B), per built file: the element, and each language and
 * opt-in feature a page may fetch beside it.
 */
const budgets = [
  { file: 'amazonpay-dqr.min.js', gzip: 28_000 },
  ...(await scripts('lang')).map((file) => ({ file, gzip: 2_000 })),
  ...(await scripts('features')).map((file) => ({ file, gzip: 1_000 })),
];

let over = false;
for (const { file, gzip: budget } of budgets) {
  const size = gzipSync(await readFile(new URL(file, dist)), { level: 9 }).length;
  const verdict = size <= budget ? 'ok' : `OVER by ${size - budget} B`;
  console.log(`dist/standalone/${file}: ${size} B gzip of ${budget} B budget: ${verdict}`);
  over ||= size > budget;
}
if (over) {
  console.error('Size budget exceeded: see BENCHMARKS.md (Size) for where the bytes go.');
  process.exitCode = 1;
}
