/**
 * Reading a Prometheus scrape as an operator's dashboard would: `value(name, labels)` is the sum of
 * every series of `name` whose labels include `labels`.
 */

/** One scrape, parsed. */
export interface Scrape {
  text: string;
  value(name: string, labels?: Record<string, string>): number;
  /** Whether any series of `name` is there at all. */
  has(name: string): boolean;
}

const SERIES = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** Parses the text exposition format. */
export function parseScrape(text: string): Scrape {
  const series = text
    .split('\n')
    .map((line) => SERIES.exec(line))
    .filter((match) => match !== null)
    .map(([, name, labels = '', value]) => ({
      name,
      labels: Object.fromEntries([...labels.matchAll(LABEL)].map(([, key, text]) => [key, text])),
      value: Number(value),
    }));
  return {
    text,
    has: (name) => series.some((entry) => entry.name === name),
    value: (name, labels = {}) =>
      series
        .filter(
          (entry) => entry.name === name && Object.entries(labels).every(([key, text]) => entry.labels[key] === text),
        )
        .reduce((sum, entry) => sum + entry.value, 0),
  };
}

/** GETs `url` with the operator's `token` and parses the answer; throws unless it is a 200. */
export async function scrape(url: string, token?: string): Promise<Scrape> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return parseScrape(await response.text());
}
