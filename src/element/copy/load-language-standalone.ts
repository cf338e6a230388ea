/**
 * Loads a shipped language for the standalone file: `lang/<code>.js` beside the script itself,
 * wherever the page serves it from. Each of those files registers its copy through the defined
 * element (see `register-standalone.ts`).
 */
import type { BuiltInLanguage } from './built-in.js';

/** Captured while the script runs: `document.currentScript` is gone once it has. */
const scriptUrl = (document.currentScript as HTMLScriptElement | null)?.src || document.baseURI;

/** Imports `lang/<code>.js` relative to the standalone script. */
export function loadLanguage(code: BuiltInLanguage): Promise<unknown> {
  return import(/* @vite-ignore */ new URL(`lang/${code}.js`, scriptUrl).href);
}
