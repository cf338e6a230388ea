/**
 * `npm run bench` (after the build): runs every benchmark in turn, each bounded in time, and writes
 * `BENCHMARKS.md`: the machine, the date and one table per benchmark, every figure beside the
 * baseline measured in the same run and their ratio. Given names (`bench/run.ts soak`), it runs
 * those only and prints their tables instead. Exits non-zero when a benchmark fails.
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { format as prettier, resolveConfig } from 'prettier';
import { launchChromium } from '../test/e2e/harness.js';
import type { Figure, Section } from './measure.js';
import * as backend from './backend.js';
import * as detection from './detection.js';
import * as leaks from './leaks.js';
import * as size from './size.js';
import * as soak from './soak.js';
import * as timeToQr from './time-to-qr.js';

const benchmarks: [string, () => Promise<Section>][] = [
  ['size', size.run],
  ['time to QR', timeToQr.run],
  ['detection latency', detection.run],
  ['leaks', leaks.run],
  ['backend', backend.run],
  ['soak', soak.run],
];
/** `bench/run.ts soak` runs the benchmarks named and prints them, leaving BENCHMARKS.md alone. */
const only = process.argv.slice(2);

function format(value: number, unit: string): string {
  const digits = Number.isInteger(value) || Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${unit}`;
}

function row({ name, value, unit, baseline, note }: Figure): string {
  const shown = format(value, unit) + (note ? ` (${note})` : '');
  if (!baseline) return `| ${name} | ${shown} | | |`;
  const ratio = baseline.value === 0 ? '–' : `${(value / baseline.value).toFixed(2)}×`;
  return `| ${name} | ${shown} | ${baseline.name}: ${format(baseline.value, unit)} | ${ratio} |`;
}

async function chromiumVersion(): Promise<string> {
  const browser = await launchChromium();
  try {
    return browser.version();
  } finally {
    await browser.close();
  }
}

const lines = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (build, then `bench/run.ts`); do not edit by hand. Each ratio compares a',
  'figure with its baseline measured in the same run on the same machine.',
  '',
  `- Date: ${new Date().toISOString()}`,
  `- CPU: ${cpus()[0]?.model ?? 'unknown'}, ${availableParallelism()} cores`,
  `- Node ${process.version}, Chromium ${await chromiumVersion()} (headless)`,
  '',
];
let failed = false;
for (const [name, run] of benchmarks.filter(([name]) => only.length === 0 || only.includes(name))) {
  const started = performance.now();
  console.log(`bench: ${name}…`);
  try {
    const section = await run();
    lines.push(`## ${section.title}`, '', '| figure | value | baseline | ratio |', '| --- | --- | --- | --- |');
    lines.push(...section.figures.map(row), '');
  } catch (error) {
    failed = true;
    console.error(`bench: ${name} failed`, error);
    lines.push(`## ${name}`, '', `Failed: ${error instanceof Error ? error.message : String(error)}`, '');
  }
  console.log(`bench: ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
const report = new URL('../BENCHMARKS.md', import.meta.url);
const style = await resolveConfig(report);
const text = await prettier(lines.join('\n'), { ...style, filepath: report.pathname });
if (only.length > 0) console.log(text);
else {
  await writeFile(report, text);
  console.log('bench: wrote BENCHMARKS.md');
}
if (failed) process.exitCode = 1;
