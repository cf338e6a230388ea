import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The browsers the tests drive, as Debian installs them: Chromium and Firefox through
 * puppeteer-core (DevTools protocol and WebDriver BiDi), WebKit (WebKitGTK's MiniBrowser)
 * through WebKitWebDriver (classic WebDriver). A test tool's own browser download is never needed.
 */

/** The engines, in the order the suites run them. */
export const ENGINES = ['chromium', 'firefox', 'webkit'];

/** Each engine's name for people, where it may be installed, and the Debian packages that install it. */
const WHERE = {
  chromium: {
    label: 'Chromium',
    packages: 'chromium',
    variable: 'CHROME_PATH',
    paths: [
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    ],
  },
  firefox: {
    label: 'Firefox',
    packages: 'firefox-esr',
    variable: 'FIREFOX_PATH',
    paths: ['/usr/bin/firefox-esr', '/usr/bin/firefox'],
  },
  webkit: {
    label: 'WebKit',
    packages: 'webkit2gtk-driver xvfb',
    variable: 'MINIBROWSER_PATH',
    paths: ['x86_64', 'aarch64'].map((arch) => `/usr/lib/${arch}-linux-gnu/webkit2gtk-4.1/MiniBrowser`),
  },
};

const WEBKIT_DRIVER = '/usr/bin/WebKitWebDriver';
const XVFB_RUN = '/usr/bin/xvfb-run';

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

/** The engine's name for people: `Chromium`, `Firefox`, `WebKit`. */
export function engineLabel(engine) {
  return WHERE[engine].label;
}

/**
 * Where `engine`'s browser is: `{ path }`, or `{ missing }`, one line saying what is missing and
 * how to install it. WebKit also needs its WebDriver and, without a display, `xvfb-run`.
 */
export function findBrowser(engine) {
  const { label, packages, variable, paths } = WHERE[engine];
  const path = [process.env[variable], ...paths].find((candidate) => candidate && existsSync(candidate));
  const lacking = [];
  if (!path) lacking.push(label);
  if (engine === 'webkit' && !existsSync(WEBKIT_DRIVER)) lacking.push('WebKitWebDriver');
  if (engine === 'webkit' && !process.env.DISPLAY && !existsSync(XVFB_RUN)) lacking.push('xvfb-run (no DISPLAY)');
  if (lacking.length === 0) return { path };
  return {
    missing: `${lacking.join(', ')} not found: install ${packages} (Debian/Ubuntu: sudo apt-get install ${packages}) or set ${variable}.`,
  };
}

/** The Chrome or Chromium to drive; exits with `findBrowser`'s one line when there is none. */
export function findChrome() {
  const found = findBrowser('chromium');
  if (found.path) return found.path;
  console.error(found.missing);
  process.exit(1);
}

/** Firefox's launch options for puppeteer-core: headless, over WebDriver BiDi. */
export function firefoxOptions(executablePath) {
  return { browser: 'firefox', executablePath, headless: true };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something listens on `port`, or rejects after `ms`. */
async function listening(port, ms) {
  for (const start = Date.now(); Date.now() - start < ms; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const open = await fetch(`http://127.0.0.1:${port}/status`).then(
      (response) => response.ok,
      () => false,
    );
    if (open) return;
  }
  throw new Error(`WebKitWebDriver did not listen on port ${port} within ${ms} ms.`);
}

/**
 * Starts WebKitWebDriver on a free port (in a virtual display of its own when there is no
 * `DISPLAY`: this MiniBrowser has no headless mode), for webdriverio. `stop()` ends the driver,
 * its browsers and the display together.
 */
export async function startWebKitDriver(miniBrowser) {
  const port = await freePort();
  const driver = [WEBKIT_DRIVER, `--port=${port}`];
  const command = process.env.DISPLAY
    ? driver
    : [XVFB_RUN, '--auto-servernum', '--server-args=-screen 0 1280x1024x24', ...driver];
  // A process group of its own, so that stopping it reaches the display and the browser too.
  const child = spawn(command[0], command.slice(1), { detached: true, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await Promise.race([
      listening(port, 30_000),
      exited.then((code) => Promise.reject(new Error(`WebKitWebDriver exited (${code}).`))),
    ]);
  } catch (error) {
    process.kill(-child.pid, 'SIGTERM');
    throw error;
  }
  return {
    /** webdriverio's `remote()` options for a MiniBrowser session. */
    options: {
      hostname: '127.0.0.1',
      port,
      capabilities: {
        browserName: 'MiniBrowser',
        'wdio:enforceWebDriverClassic': true,
        'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] },
      },
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    },
  };
}
