/**
 * Loads a feature for the standalone file: `features/<name>.js` beside the script itself, a
 * self-contained ES module (see vite.config.ts).
 */
import { besideScript } from '../beside-script.js';
import type { Feature, FeatureModules } from './catalog.js';

/** Imports `features/<name>.js` relative to the standalone script. */
export function loadFeature<K extends Feature>(name: K): Promise<FeatureModules[K]> {
  return import(/* @vite-ignore */ besideScript(`features/${name}.js`)) as Promise<FeatureModules[K]>;
}
