import { existsSync } from 'node:fs';

const candidates = [
  process.env.CHROME_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/**
 * The Chrome or Chromium the browser and end-to-end tests drive. Exits with a one-line hint when
 * none is installed, instead of a stack trace from deep inside a launcher.
 */
export function findChrome() {
  const found = candidates.find((path) => path && existsSync(path));
  if (found) return found;
  console.error(
    'No Chrome or Chromium found: install one (Debian/Ubuntu: sudo apt-get install chromium) or set CHROME_PATH to its executable.',
  );
  process.exit(1);
}

/** Headless flags for CI containers: no sandbox as root, no GPU, no calls home. */
export const CHROME_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
