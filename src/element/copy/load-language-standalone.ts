/**
 * Loads a shipped language for the standalone file: `lang/<code>.js` beside the script itself.
 * Each of those files registers its copy through the defined element (see `register-standalone.ts`).
 */
import { besideScript } from '../beside-script.js';
import type { BuiltInLanguage } from './built-in.js';

/** Imports `lang/<code>.js` relative to the standalone script. */
export function loadLanguage(code: BuiltInLanguage): Promise<unknown> {
  return import(/* @vite-ignore */ besideScript(`lang/${code}.js`));
}
