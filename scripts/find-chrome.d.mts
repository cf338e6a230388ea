/** The path of the Chrome or Chromium to drive; exits with a one-line hint when there is none. */
export function findChrome(): string;

/** Headless flags for CI containers: no sandbox as root, no GPU, no calls home. */
export const CHROME_ARGS: string[];
