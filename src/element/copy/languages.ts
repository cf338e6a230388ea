/**
 * Which copy an element shows: its own `lang` or the nearest ancestor's, matched in full
 * (`hi-IN`) and then by its language alone (`hi`); English for anything else. English is built
 * in; the seven other languages of India the element ships with load the first time an element
 * needs one, and merchants add theirs.
 */
import { BUILT_IN_LANGUAGES, type BuiltInLanguage, isBuiltIn } from './built-in.js';
import type { Copy } from './copy.js';
import { en } from './en.js';
import { loadLanguage } from './load-language.js';

export type { Copy } from './copy.js';

const languages = new Map<string, Copy>([['en', en]]);
/** Shipped languages asked for, each fetched once per page; settled when it arrived or failed. */
const loads = new Map<string, Promise<void>>();
/** Shipped languages whose file did not load: English stands in for them. */
const failed = new Set<string>();
const listeners = new Set<() => void>();

/** The language codes the element has copy for, loaded or not. */
export function languageCodes(): string[] {
  return [...new Set([...languages.keys(), ...BUILT_IN_LANGUAGES])];
}

/** The copy registered for `code` (a BCP 47 tag such as `or` or `en-GB`), if any. */
export function languageCopy(code: string): Copy | undefined {
  return languages.get(code.toLowerCase());
}

/**
 * Adds or replaces the copy for `code`, and tells every element listening to render again. A line
 * the copy lacks (a merchant language written for an earlier version) shows in English.
 */
export function addLanguage(code: string, copy: Copy): void {
  languages.set(code.toLowerCase(), { ...en, ...copy });
  notify();
}

/** Calls `listener` whenever a language arrives (or fails to); returns the unsubscribe. */
export function onLanguagesChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The copy for `element`'s language: its own `lang`, else the nearest ancestor's, else English.
 * `undefined` while that is a shipped language still on its way; this call starts fetching it.
 */
export function copyFor(element: Element): Copy | undefined {
  const { tag, primary } = langOf(element);
  const copy = languages.get(tag) ?? languages.get(primary);
  if (copy || !isBuiltIn(primary) || failed.has(primary)) return copy ?? en;
  void load(primary);
  return undefined;
}

/** Settles once `element`'s language can be shown: it arrived, or it failed and English stands in. */
export function languageReady(element: Element): Promise<void> {
  const { primary } = langOf(element);
  return copyFor(element) || !isBuiltIn(primary) ? Promise.resolve() : load(primary);
}

/** Rupees with the Indian grouping in the copy's own digits, e.g. `₹1,24,999.50` or `₹১,২৪,৯৯৯.৫০`. */
export function formatRupees(amount: string, locale = en.locale): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'INR' }).format(Number(amount));
}

function notify(): void {
  for (const listener of listeners) listener();
}

function langOf(element: Element): { tag: string; primary: string } {
  const tag = element.closest('[lang]')?.getAttribute('lang')?.toLowerCase() ?? '';
  return { tag, primary: tag.split('-')[0] };
}

function load(code: BuiltInLanguage): Promise<void> {
  let loading = loads.get(code);
  if (!loading) {
    loading = loadLanguage(code)
      .then(() => {
        if (!languages.has(code)) throw new Error('its file ran but registered no copy');
      })
      .catch((error: unknown) => {
        failed.add(code);
        console.warn(`<amazonpay-dqr>: the "${code}" language did not load, so English is shown instead.`, error);
        notify();
      });
    loads.set(code, loading);
  }
  return loading;
}
