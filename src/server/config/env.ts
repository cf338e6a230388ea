/**
 * Reading settings from an environment: each reader returns the value or its default and collects
 * what is wrong instead of stopping at the first problem, so one fix-and-retry is enough.
 */
import { readFileSync } from 'node:fs';

/** The environment a configuration is read from (`process.env` by default). */
export type Env = Record<string, string | undefined>;

/** The settings of one environment, read by name; `problems` lists every bad or missing one. */
export class Settings {
  readonly problems: string[] = [];
  /** Every variable asked for, set or not: what the configuration table must list. */
  readonly asked = new Set<string>();

  constructor(private readonly env: Env) {}

  /** The trimmed value, or `undefined` when unset or blank. */
  text(name: string): string | undefined {
    this.asked.add(name);
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  /**
   * A secret: the value of `name`, or the contents of the file `name_FILE` names (a Docker or
   * Kubernetes secret), trailing newline and spaces dropped. Both set, or an unreadable or empty
   * file, is a problem.
   */
  secret(name: string): string | undefined {
    const value = this.text(name);
    const file = this.text(`${name}_FILE`);
    if (file === undefined) return value;
    if (value !== undefined) {
      this.problem(`${name} and ${name}_FILE are both set: set one.`);
      return value;
    }
    let contents: string;
    try {
      contents = readFileSync(file, 'utf8').trim();
    } catch (error) {
      this.problem(`${name}_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code}).`);
      return undefined;
    }
    if (contents === '') this.problem(`${name}_FILE ${file} is empty.`);
    return contents === '' ? undefined : contents;
  }

  /** Whether the variable is set to something other than blank. */
  has(name: string): boolean {
    return this.text(name) !== undefined;
  }

  /** Records a problem with the configuration. */
  problem(message: string): void {
    this.problems.push(message);
  }

  /** One of `allowed`, or `fallback` when unset. */
  choice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.text(name) ?? fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problem(`${name} must be ${allowed.map((choice) => `"${choice}"`).join(' or ')}.`);
    return fallback;
  }

  /** A whole number from `min` to `max`, or `fallback` when unset. */
  integer(name: string, fallback: number, min: number, max: number): number {
    const text = this.text(name);
    if (text === undefined) return fallback;
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (value >= min && value <= max) return value;
    this.problem(`${name} must be a whole number from ${min} to ${max}.`);
    return fallback;
  }

  /** `true` or `false`, or `fallback` when unset. */
  flag(name: string, fallback = false): boolean {
    return this.choice(name, ['true', 'false'], fallback ? 'true' : 'false') === 'true';
  }

  /** A comma-separated list of seconds, each above 0 and at most `max`, or `fallback` when unset. */
  seconds(name: string, fallback: readonly number[], max: number): number[] {
    const text = this.text(name);
    if (text === undefined) return [...fallback];
    const list = text.split(',').map((step) => Number(step.trim()));
    if (list.every((step) => step > 0 && step <= max)) return list;
    this.problem(`${name} must be a comma-separated list of seconds, each above 0 and at most ${max}.`);
    return [...fallback];
  }

  /** An http(s) URL without trailing slashes, or `fallback` (also checked) when unset. */
  url(name: string, fallback?: string): string | undefined {
    const text = this.text(name) ?? fallback;
    if (text === undefined) return undefined;
    if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) {
      this.problem(`${name} must be an http(s) URL.`);
    }
    return text.replace(/\/+$/, '');
  }

  /** A comma-separated list, blanks dropped. */
  list(name: string): string[] {
    return (this.text(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  }
}
