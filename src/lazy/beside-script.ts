/**
 * Where the standalone file's companions live: beside the script itself, wherever the page serves
 * it from, so `<script src>` pages need no configuration to fetch a language or a feature later.
 */

/** Captured while the script runs: `document.currentScript` is gone once it has. */
const scriptUrl = (document.currentScript as HTMLScriptElement | null)?.src || document.baseURI;

/** The URL of `path` relative to the standalone script. */
export function besideScript(path: string): string {
  return new URL(path, scriptUrl).href;
}
