/**
 * Faults the sandbox can be told to inject into its Amazon Pay answers, so the demo and the tests
 * can show what the product does when Amazon is slow, failing, forged or silent.
 */

/** `POST /sandbox/control/faults` body. Counts are consumed one per Amazon Pay call (or IPN). */
export interface FaultSettings {
  /** Answer the next `count` calls with this HTTP status (5xx or 4xx). */
  status?: number;
  count?: number;
  /** Added to every answer until cleared, in milliseconds. */
  latencyMs?: number;
  /** Sign the next N answers with the wrong key. */
  badSignature?: number;
  /** Lose the next N payment notifications. */
  dropIpn?: number;
  /** Never answer the next N calls (the caller's timeout must end them). */
  hang?: number;
}

const COUNTERS = ['count', 'badSignature', 'dropIpn', 'hang'] as const;

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

/** The faults in force; counted ones are used up one call at a time. */
export class Faults {
  private settings: FaultSettings = {};

  set(settings: FaultSettings) {
    this.settings = { ...this.settings, ...settings };
    if (settings.status !== undefined && settings.count === undefined) this.settings.count = 1;
  }

  clear() {
    this.settings = {};
  }

  get current(): FaultSettings {
    return { ...this.settings };
  }

  get latencyMs() {
    return this.settings.latencyMs ?? 0;
  }

  /** Uses up one of a counted fault; true when it applies to this call. */
  take(name: (typeof COUNTERS)[number]): boolean {
    const left = this.settings[name] ?? 0;
    if (left <= 0) return false;
    if (left === 1) delete this.settings[name];
    else this.settings[name] = left - 1;
    return true;
  }

  /** The error status for this call, if one is due. */
  takeStatus(): number | undefined {
    const { status } = this.settings;
    if (status === undefined || !this.take('count')) return undefined;
    if (this.settings.count === undefined) delete this.settings.status;
    return status;
  }
}
