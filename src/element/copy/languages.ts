/**
 * Which copy an element shows: its own `lang` or the nearest ancestor's, matched in full
 * (`hi-IN`) and then by its language alone (`hi`); English for anything else. The eight
 * languages of India the element ships with, plus any a merchant adds.
 */
import { bn } from './bn.js';
import type { Copy } from './copy.js';
import { en } from './en.js';
import { gu } from './gu.js';
import { hi } from './hi.js';
import { kn } from './kn.js';
import { mr } from './mr.js';
import { ta } from './ta.js';
import { te } from './te.js';

export type { Copy } from './copy.js';

const languages = new Map<string, Copy>(Object.entries({ en, hi, bn, mr, ta, te, gu, kn }));

/** The language codes the element has copy for. */
export function languageCodes(): string[] {
  return [...languages.keys()];
}

/** The copy registered for `code` (a BCP 47 tag such as `or` or `en-GB`), if any. */
export function languageCopy(code: string): Copy | undefined {
  return languages.get(code.toLowerCase());
}

/** Adds or replaces the copy for `code`; elements pick it up on their next render. */
export function addLanguage(code: string, copy: Copy): void {
  languages.set(code.toLowerCase(), copy);
}

/** The copy for `element`'s language: its own `lang`, else the nearest ancestor's, else English. */
export function copyFor(element: Element): Copy {
  const lang = element.closest('[lang]')?.getAttribute('lang')?.toLowerCase() ?? '';
  return languages.get(lang) ?? languages.get(lang.split('-')[0]) ?? en;
}

/** Rupees with the Indian grouping in the copy's own digits, e.g. `₹1,24,999.50` or `₹১,২৪,৯৯৯.৫০`. */
export function formatRupees(amount: string, locale = en.locale): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'INR' }).format(Number(amount));
}
