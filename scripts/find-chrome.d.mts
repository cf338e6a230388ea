/** The path of the Chrome or Chromium to drive; exits with a one-line hint when there is none. */
export function findChrome(): string;
