/**
 * The page's side of a payment session: its clock and timers (looked up at each call, so fake
 * timers and a page's instrumented `setTimeout` are the ones used), `navigator.onLine` with the
 * window's `online` and `offline` events, the document's visibility, and `fetch`.
 */
import { ContractClient } from '../session/client.js';
import type { SessionEnvironment } from '../session/environment.js';

/** The environment every element's session runs in. */
export const browserEnvironment: SessionEnvironment = {
  now: () => Date.now(),
  after(ms, callback) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
  random: () => Math.random(),
  online: () => navigator.onLine,
  watchConnection(onChange) {
    const online = () => onChange(true);
    const offline = () => onChange(false);
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    return () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
    };
  },
  watchVisibility(onVisible) {
    const listener = () => {
      if (document.visibilityState === 'visible') onVisible();
    };
    document.addEventListener('visibilitychange', listener);
    return () => document.removeEventListener('visibilitychange', listener);
  },
  client: (endpoint, init) => new ContractClient(endpoint, init),
};
