/**
 * Loads a feature for the ESM build: one literal `import()` per feature, so an app's bundler
 * splits each into its own chunk. The standalone file swaps this module for
 * `load-feature-standalone.ts` (see vite.config.ts).
 */
import type { Feature, FeatureModules } from './catalog.js';

const modules: { [K in Feature]: () => Promise<FeatureModules[K]> } = {
  mirror: () => import('./mirror.js'),
  kiosk: () => import('./kiosk.js'),
  sound: () => import('./sound.js'),
  'late-payment-watch': () => import('./late-payment-watch.js'),
  regenerate: () => import('./regenerate.js'),
};

/** Imports the feature's module. */
export function loadFeature<K extends Feature>(name: K): Promise<FeatureModules[K]> {
  return modules[name]();
}
