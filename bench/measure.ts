/**
 * What every benchmark returns and the arithmetic they share: a figure is a value with its unit,
 * and, where the same run measured one, the baseline it is compared with.
 */

/** One line of the report. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** What `value` is compared with, measured in the same run; the report shows value / baseline. */
  baseline?: { name: string; value: number };
  /** How the figure was measured, when the name alone does not say. */
  note?: string;
}

/** One benchmark's figures, under a heading. */
export interface Section {
  title: string;
  figures: Figure[];
}

/** The `q`-quantile (0..1) of `samples`, by the nearest-rank method. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) throw new RangeError('quantile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** How many times `work` runs per second, over about `ms` milliseconds (after a short warm-up). */
export function perSecond(work: () => void, ms = 1_000): number {
  for (let i = 0; i < 1_000; i++) work();
  let runs = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 100; i++) work();
    runs += 100;
    elapsed = performance.now() - start;
  }
  return (runs / elapsed) * 1_000;
}

/** Rejects with a clear message when `promise` takes longer than `ms`: every benchmark is bounded. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
