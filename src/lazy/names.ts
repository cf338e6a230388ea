/**
 * The modules the element loads on first use, by name. No imports here, so that the build scripts
 * and the benchmarks read the lists without loading the element.
 */

/** The languages of India the element ships besides English, which is in every build. */
export const LANGUAGES = ['hi', 'bn', 'mr', 'ta', 'te', 'gu', 'kn'] as const;

/** The opt-in features, each loaded once an element's attribute asks for it. */
export const FEATURES = ['mirror', 'kiosk', 'sound', 'late-payment-watch', 'regenerate'] as const;

/** One of the shipped languages that load on demand. */
export type LanguageCode = (typeof LANGUAGES)[number];

/** One of the opt-in features. */
export type FeatureName = (typeof FEATURES)[number];

/** A module that loads on demand, named as the standalone file's companion is: `lang/hi`, `features/kiosk`. */
export type LazyName = `lang/${LanguageCode}` | `features/${FeatureName}`;

/** Whether `code` (a lowercase primary language subtag) is one of the shipped languages. */
export function isShippedLanguage(code: string): code is LanguageCode {
  return (LANGUAGES as readonly string[]).includes(code);
}
