/**
 * Which copy an element shows: its own `lang` or the nearest ancestor's, matched in full
 * (`hi-IN`) and then by its language alone (`hi`); English for anything else. English is built
 * in; the seven other languages of India the element ships with load the first time an element
 * needs one, and merchants add theirs. A line a language lacks (a merchant language written for
 * an earlier version) shows in English.
 */
import { load } from '../lazy/load.js';
import { LANGUAGES, type LanguageCode, isShippedLanguage } from '../lazy/names.js';
import type { Copy } from './copy.js';
import { store } from './store.js';
import { en } from './translations/en.js';

export { addLanguage } from './store.js';

/** Each added copy with English for the lines it lacks, made once per copy. */
const completed = new WeakMap<Copy, Copy>();
/** Shipped languages asked for, each fetched once per page; settled when it arrived or failed. */
const arrivals = new Map<LanguageCode, Promise<void>>();
/** Shipped languages whose file did not load: English stands in for them. */
const failed = new Set<string>();

/** The language codes the element has copy for, loaded or not. */
export function languageCodes(): string[] {
  return [...new Set(['en', ...store.copies.keys(), ...LANGUAGES])];
}

/** The copy for `code` (a BCP 47 tag such as `or` or `en-GB`), if it has been added. */
export function languageCopy(code: string): Copy | undefined {
  const lower = code.toLowerCase();
  const copy = store.copies.get(lower);
  if (!copy) return lower === 'en' ? en : undefined;
  let complete = completed.get(copy);
  if (!complete) completed.set(copy, (complete = { ...en, ...copy }));
  return complete;
}

/** Calls `listener` whenever a language arrives (or fails to); returns the unsubscribe. */
export function onLanguagesChanged(listener: () => void): () => void {
  store.listeners.add(listener);
  return () => store.listeners.delete(listener);
}

/**
 * The copy for `element`'s language: its own `lang`, else the nearest ancestor's, else English.
 * `undefined` while that is a shipped language still on its way; this call starts fetching it.
 */
export function copyFor(element: Element): Copy | undefined {
  const { tag, primary } = langOf(element);
  const copy = languageCopy(tag) ?? languageCopy(primary);
  if (copy || !isShippedLanguage(primary) || failed.has(primary)) return copy ?? en;
  void arrive(primary);
  return undefined;
}

/** Settles once `element`'s language can be shown: it arrived, or it failed and English stands in. */
export function languageReady(element: Element): Promise<void> {
  const { primary } = langOf(element);
  return copyFor(element) || !isShippedLanguage(primary) ? Promise.resolve() : arrive(primary);
}

function langOf(element: Element): { tag: string; primary: string } {
  const tag = element.closest('[lang]')?.getAttribute('lang')?.toLowerCase() ?? '';
  return { tag, primary: tag.split('-')[0] };
}

function arrive(code: LanguageCode): Promise<void> {
  let arrival = arrivals.get(code);
  if (!arrival) {
    arrival = load(`lang/${code}`, `"${code}" language`, 'English is shown instead').then(
      () => {
        if (!store.copies.has(code)) {
          console.warn(`<amazonpay-dqr>: lang/${code} ran but added no copy, so English is shown instead.`);
          fail(code);
        }
      },
      () => fail(code),
    );
    arrivals.set(code, arrival);
  }
  return arrival;
}

function fail(code: LanguageCode): void {
  failed.add(code);
  for (const listener of store.listeners) listener();
}
