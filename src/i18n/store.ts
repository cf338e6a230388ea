/**
 * The languages added on this page, kept on the page itself: the element's code and each
 * `lang/<code>.js` file beside the standalone script are separate bundles, and each hands its copy
 * to this one store, whichever runs first (as does a second copy of the package on the page).
 */
import type { Copy } from './copy.js';

/** Each added language's copy by lowercase code, and who to tell when one arrives. */
export interface LanguageStore {
  readonly copies: Map<string, Copy>;
  readonly listeners: Set<() => void>;
}

const KEY = Symbol.for('amazonpay-dqr:languages');
const page = globalThis as { [key: symbol]: LanguageStore | undefined };

/** The page's store, made by whichever bundle needs it first. */
export const store: LanguageStore = (page[KEY] ??= { copies: new Map(), listeners: new Set() });

/** Adds or replaces the copy of `code` (a BCP 47 tag) for every element on the page, and tells them. */
export function addLanguage(code: string, copy: Copy): void {
  store.copies.set(code.toLowerCase(), copy);
  for (const listener of store.listeners) listener();
}
