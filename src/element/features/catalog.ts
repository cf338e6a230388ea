/**
 * The element's opt-in features that load on first use, like the languages: a page that never
 * mirrors, runs a kiosk, chimes, watches for late payments or regenerates QRs never downloads their
 * code.
 */
import type * as latePaymentWatch from './late-payment-watch.js';
import type * as mirror from './mirror.js';
import type * as regenerate from './regenerate.js';
import type * as sound from './sound.js';
import type * as kiosk from './kiosk.js';

/** Each feature's module, by the name of its file. */
export interface FeatureModules {
  mirror: typeof mirror;
  kiosk: typeof kiosk;
  sound: typeof sound;
  'late-payment-watch': typeof latePaymentWatch;
  regenerate: typeof regenerate;
}

/** One of the features that load on demand. */
export type Feature = keyof FeatureModules;

/** Every feature, for the builds that write one file per feature. */
export const FEATURES: readonly Feature[] = ['mirror', 'kiosk', 'sound', 'late-payment-watch', 'regenerate'];
