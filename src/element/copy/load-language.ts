/**
 * Loads a shipped language for the ESM build: one literal `import()` per language, so an app's
 * bundler splits each into its own chunk. The standalone file swaps this module for
 * `load-language-standalone.ts` (see vite.config.ts).
 */
import type { BuiltInLanguage } from './built-in.js';

const modules: Record<BuiltInLanguage, () => Promise<unknown>> = {
  hi: () => import('./lang/hi.js'),
  bn: () => import('./lang/bn.js'),
  mr: () => import('./lang/mr.js'),
  ta: () => import('./lang/ta.js'),
  te: () => import('./lang/te.js'),
  gu: () => import('./lang/gu.js'),
  kn: () => import('./lang/kn.js'),
};

/** Imports the language's module, which registers its copy as it runs. */
export function loadLanguage(code: BuiltInLanguage): Promise<unknown> {
  return modules[code]();
}
