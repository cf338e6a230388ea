/**
 * `npm run backend` in a process of its own, as an operator runs it: started with an environment,
 * its JSON log lines read from standard output, stopped with a real signal.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const MAIN = new URL('../../../src/server/main.ts', import.meta.url).pathname;

/** A running backend process. */
export interface BackendChild {
  /** `http://127.0.0.1:port`, as it logged it. */
  origin: string;
  /** Its log lines so far, parsed. */
  lines: Record<string, unknown>[];
  /** Resolves with the first line (already written or still to come) that `matches`. */
  line(matches: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  signal(name: NodeJS.Signals): void;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/**
 * Starts the backend with `env` over a clean sandbox-mode environment on a free port, its SQLite
 * file in a folder of its own.
 */
export async function startBackendChild(env: Record<string, string> = {}): Promise<BackendChild> {
  const storeFile = join(mkdtempSync(join(tmpdir(), 'dqr-child-')), 'orders.sqlite');
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH, PORT: '0', DQR_SQLITE_PATH: storeFile, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiting: {
    matches: (line: Record<string, unknown>) => boolean;
    resolve: (line: Record<string, unknown>) => void;
  }[] = [];
  createInterface(child.stdout).on('line', (text) => {
    const line = JSON.parse(text) as Record<string, unknown>;
    lines.push(line);
    for (const waiter of waiting.filter((entry) => entry.matches(line))) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const line = (matches: (line: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const found = lines.find(matches);
      if (found) return resolve(found);
      waiting.push({ matches, resolve });
      void exited.then((code) => reject(new Error(`the backend exited (${code}) before the line came`)));
    });
  const started = await line(
    (entry) => typeof entry.url === 'string' && String(entry.msg).startsWith('amazonpay-dqr backend'),
  );
  return {
    origin: new URL(started.url as string).origin,
    lines,
    line,
    signal: (name) => child.kill(name),
    exited,
  };
}
