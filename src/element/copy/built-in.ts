/**
 * The languages of India the element ships copy for besides English. English is in every build;
 * these load on first use, so a page pays only for the language it shows.
 */
export const BUILT_IN_LANGUAGES = ['hi', 'bn', 'mr', 'ta', 'te', 'gu', 'kn'] as const;

/** One of the shipped languages that load on demand. */
export type BuiltInLanguage = (typeof BUILT_IN_LANGUAGES)[number];

/** Whether `code` (a lowercase primary language subtag) is one of the shipped languages. */
export function isBuiltIn(code: string): code is BuiltInLanguage {
  return (BUILT_IN_LANGUAGES as readonly string[]).includes(code);
}
