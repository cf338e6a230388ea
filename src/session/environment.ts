/**
 * What a payment session needs from the place it runs in: a clock and timers, whether the device
 * is online, when the page is seen again, and a contract client. A browser page supplies its own
 * (`view/browser-environment.ts`); a test or a Node process supplies fakes, so the session's money
 * logic runs the same everywhere.
 */
import type { ContractCalls } from './client.js';

/** Stops what a `watch…` or `after` call started. */
export type Unsubscribe = () => void;

/** The session's surroundings. */
export interface SessionEnvironment {
  /** Epoch milliseconds now. */
  now(): number;
  /** Calls `callback` once after `ms`; the returned function cancels it. */
  after(ms: number, callback: () => void): Unsubscribe;
  /** A number in [0, 1), for the jitter of retries. */
  random(): number;
  /** Whether the device has a network connection now. */
  online(): boolean;
  /** Calls `onChange` each time the connection goes (false) or comes back (true). */
  watchConnection(onChange: (online: boolean) => void): Unsubscribe;
  /** Calls `onVisible` each time the page is shown again (a hidden tab's timers are throttled). */
  watchVisibility(onVisible: () => void): Unsubscribe;
  /** The contract calls to the backend at `endpoint`, with the host's `RequestInit` merged in. */
  client(endpoint: string, init: RequestInit): ContractCalls;
}
