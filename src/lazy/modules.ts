/**
 * Where the modules that load on demand come from, for the ESM build: one literal `import()` each,
 * so an app's bundler splits each into a chunk of its own. The standalone build swaps this one
 * module for `modules-standalone.ts` (see vite.config.ts): the same names, fetched beside the script.
 */
import type { FeatureModule } from '../view/features/feature.js';
import type { LazyName } from './names.js';

/** What a module gives once loaded: a feature its maker; a language nothing, it has added its copy. */
export type LazyModule<N extends LazyName> = N extends `features/${string}` ? FeatureModule : unknown;

const modules: { [N in LazyName]: () => Promise<LazyModule<N>> } = {
  'lang/hi': () => import('../i18n/lang/hi.js'),
  'lang/bn': () => import('../i18n/lang/bn.js'),
  'lang/mr': () => import('../i18n/lang/mr.js'),
  'lang/ta': () => import('../i18n/lang/ta.js'),
  'lang/te': () => import('../i18n/lang/te.js'),
  'lang/gu': () => import('../i18n/lang/gu.js'),
  'lang/kn': () => import('../i18n/lang/kn.js'),
  'features/mirror': () => import('../view/features/mirror.js'),
  'features/kiosk': () => import('../view/features/kiosk.js'),
  'features/sound': () => import('../view/features/sound.js'),
  'features/late-payment-watch': () => import('../view/features/late-payment-watch.js'),
  'features/regenerate': () => import('../view/features/regenerate.js'),
};

/** Imports the module `name`. */
export function importModule<N extends LazyName>(name: N): Promise<LazyModule<N>> {
  return modules[name]();
}
