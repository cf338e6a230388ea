/**
 * Faults the sandbox can be told to inject into its Amazon Pay answers, so the demo and the tests
 * can show what the product does when Amazon is slow, failing, forged or silent. A fault applies
 * to every call, or only to one API and/or one order (the Refund API down for five minutes while
 * the rest works), for a number of calls or for a time.
 */

/** The Amazon Pay APIs the sandbox answers, by name. */
export const SANDBOX_APIS = ['generateQr', 'getStatus', 'cancel', 'refund'] as const;

/** One of `SANDBOX_APIS`. */
export type SandboxApi = (typeof SANDBOX_APIS)[number];

/** `POST /sandbox/control/faults` body. Counts are consumed one per Amazon Pay call (or IPN). */
export interface FaultSettings {
  /** Answer the next `count` calls (or every call for `forMs`) with this HTTP status (5xx or 4xx). */
  status?: number;
  count?: number;
  /** With `status`: answer it to every call in scope for this many milliseconds from now. */
  forMs?: number;
  /** Added to every answer until cleared, in milliseconds. */
  latencyMs?: number;
  /** Sign the next N answers with the wrong key. */
  badSignature?: number;
  /** Lose the next N payment notifications. */
  dropIpn?: number;
  /** Never answer the next N calls (the caller's timeout must end them). */
  hang?: number;
  /** Only calls of this API (notifications are of none). Default every call. */
  api?: SandboxApi;
  /** Only calls and notifications about this order. Default every order. */
  orderId?: string;
}

/** What a call is, for matching faults to it. */
export interface FaultScope {
  api?: SandboxApi;
  orderId?: string;
}

const COUNTERS = ['count', 'badSignature', 'dropIpn', 'hang'] as const;
type Counter = (typeof COUNTERS)[number];

type Rule = Omit<FaultSettings, 'forMs'> & { until?: number };

/** Checks a faults body; answers a sentence about the first bad field. */
export function checkFaults(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'Send the faults as a JSON object.';
  for (const [name, setting] of Object.entries(value)) {
    if (name === 'status') {
      if (!Number.isInteger(setting) || (setting as number) < 400 || (setting as number) > 599) {
        return 'status must be an HTTP error status from 400 to 599.';
      }
    } else if (name === 'latencyMs') {
      if (!Number.isInteger(setting) || (setting as number) < 0 || (setting as number) > 60_000) {
        return 'latencyMs must be a whole number of milliseconds from 0 to 60000.';
      }
    } else if (name === 'forMs') {
      if (!Number.isInteger(setting) || (setting as number) < 1 || (setting as number) > 86_400_000) {
        return 'forMs must be a whole number of milliseconds from 1 to 86400000.';
      }
    } else if (name === 'api') {
      if (!(SANDBOX_APIS as readonly unknown[]).includes(setting))
        return `api must be one of ${SANDBOX_APIS.join(', ')}.`;
    } else if (name === 'orderId') {
      if (typeof setting !== 'string' || setting === '') return 'orderId must be a non-empty string.';
    } else if ((COUNTERS as readonly string[]).includes(name)) {
      if (!Number.isInteger(setting) || (setting as number) < 0 || (setting as number) > 1000) {
        return `${name} must be a whole number from 0 to 1000.`;
      }
    } else {
      return `${name} is not a fault the sandbox knows.`;
    }
  }
  return undefined;
}

const scopeKey = ({ api, orderId }: FaultScope) => `${api ?? '*'}\n${orderId ?? '*'}`;

/** The faults in force, one set per scope; counted ones are used up one call at a time. */
export class Faults {
  private rules = new Map<string, Rule>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Adds `settings` to the faults of their scope (every call, unless `api` or `orderId` narrow it). */
  set(settings: FaultSettings) {
    const { forMs, ...rest } = settings;
    const key = scopeKey(settings);
    const rule: Rule = { ...this.rules.get(key), ...rest };
    if (forMs !== undefined) {
      rule.until = this.now() + forMs;
      delete rule.count;
    } else if (settings.status !== undefined) {
      delete rule.until;
      if (settings.count === undefined) rule.count = 1;
    }
    this.rules.set(key, rule);
  }

  clear() {
    this.rules.clear();
  }

  /** The faults of one scope (every call by default), as `set` took them. */
  current(scope: FaultScope = {}): FaultSettings {
    const { until, ...rule } = this.rules.get(scopeKey(scope)) ?? {};
    return until === undefined ? rule : { ...rule, forMs: Math.max(0, until - this.now()) };
  }

  /** The rules that apply to a call, the narrowest first (none at all while no fault is set). */
  private matching(scope: FaultScope): Rule[] {
    if (this.rules.size === 0) return [];
    const keys = [scope, { api: scope.api }, { orderId: scope.orderId }, {}].map(scopeKey);
    return [...new Set(keys)].flatMap((key) => this.rules.get(key) ?? []);
  }

  /** The latency to add to a call. */
  latencyMs(scope: FaultScope = {}): number {
    return Math.max(0, ...this.matching(scope).map((rule) => rule.latencyMs ?? 0));
  }

  /** Uses up one of a counted fault; true when it applies to this call. */
  take(name: Exclude<Counter, 'count'>, scope: FaultScope = {}): boolean {
    return this.matching(scope).some((rule) => this.use(rule, name));
  }

  /** The error status for this call, if one is due. */
  takeStatus(scope: FaultScope = {}): number | undefined {
    for (const rule of this.matching(scope)) {
      if (rule.status === undefined) continue;
      if (rule.until !== undefined) {
        if (this.now() < rule.until) return rule.status;
        delete rule.status;
        delete rule.until;
      } else if (this.use(rule, 'count')) {
        const { status } = rule;
        if (rule.count === undefined) delete rule.status;
        return status;
      }
    }
    return undefined;
  }

  private use(rule: Rule, name: Counter): boolean {
    const left = rule[name] ?? 0;
    if (left <= 0) return false;
    if (left === 1) delete rule[name];
    else rule[name] = left - 1;
    return true;
  }
}
