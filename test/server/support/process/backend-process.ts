/**
 * The reference backend in a child process of its own, as an operator runs it: started from the
 * environment, killed with SIGKILL at any moment, started again on the same port and store. The
 * entry is bundled once per test process (esbuild, dependencies external) so each start costs a
 * fraction of a transpiling loader's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./backend-entry.ts', import.meta.url));
/** Inside the project, so the bundle's external packages resolve from its node_modules. */
const BUNDLE_DIR = fileURLToPath(new URL('../../../../node_modules/.cache/amazonpay-dqr-tests/', import.meta.url));

let bundled: Promise<string> | undefined;

/** The entry as one ES module file, built on first use. */
function bundle(): Promise<string> {
  bundled ??= (async () => {
    mkdirSync(BUNDLE_DIR, { recursive: true });
    const outfile = `${BUNDLE_DIR}backend-entry-${process.pid}.mjs`;
    await build({
      entryPoints: [ENTRY],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    return outfile;
  })();
  return bundled;
}

/** One start of the process: its exit, and what it wrote. */
interface Life {
  child: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * A backend the test starts, kills and starts again; `env` is its whole environment (with PATH).
 * It listens on a free port, and on the same one again after a restart while that is free.
 */
export function backendProcess(env: Record<string, string>) {
  let life: Life | undefined;
  const output: string[] = [];
  let starts = 0;
  let url = '';
  let port = '0';

  async function start(): Promise<void> {
    try {
      await startOn(port);
    } catch (error) {
      // Another process took the port while this one was down: a backend moved to another host:port.
      if (port === '0' || !/EADDRINUSE/.test(String(error))) throw error;
      await startOn('0');
    }
  }

  async function startOn(listen: string): Promise<void> {
    if (life) throw new Error('The backend is already running.');
    const file = await bundle();
    starts += 1;
    const child = spawn(process.execPath, [file], {
      env: { PATH: process.env.PATH ?? '', ...env, PORT: listen },
      stdio: 'pipe',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    life = { child, exited };
    const started = new Promise<void>((resolve, reject) => {
      let buffered = '';
      child.stdout!.on('data', (data: Buffer) => {
        buffered += data.toString();
        for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
          const line = buffered.slice(0, end);
          buffered = buffered.slice(end + 1);
          output.push(line);
          const listening = /backend \(\w+\) on (http:\/\/[^/]+)\//.exec(line);
          if (listening) url = listening[1];
          if (line.includes('IPN endpoint to register')) resolve();
        }
      });
      child.stderr!.on('data', (data: Buffer) => output.push(`stderr: ${data.toString().trimEnd()}`));
      void exited.then((code) =>
        reject(new Error(`The backend exited with ${code} as it started:\n${output.slice(-20).join('\n')}`)),
      );
    });
    try {
      await started;
    } catch (error) {
      life = undefined;
      throw error;
    }
    port = new URL(url).port;
  }

  /** SIGKILL: nothing of the process runs after this resolves. */
  async function kill(): Promise<void> {
    const current = life;
    if (!current) return;
    life = undefined;
    current.child.kill('SIGKILL');
    await current.exited;
  }

  /** SIGTERM, as a process manager stops it; SIGKILL if it has not exited within `ms`. */
  async function stop(ms = 5_000): Promise<number | null> {
    const current = life;
    if (!current) return null;
    life = undefined;
    current.child.kill('SIGTERM');
    const timer = setTimeout(() => current.child.kill('SIGKILL'), ms);
    try {
      return await current.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    start,
    kill,
    stop,
    /** `http://127.0.0.1:port` of the last start. */
    get url() {
      return url;
    },
    /** Whether a start has happened and no kill or stop since. */
    get running() {
      return life !== undefined;
    },
    /** How many times it was started. */
    get starts() {
      return starts;
    },
    /** Every line it wrote, stdout and stderr, across its starts. */
    output,
  };
}

/** A backend `backendProcess` made. */
export type BackendProcess = ReturnType<typeof backendProcess>;
