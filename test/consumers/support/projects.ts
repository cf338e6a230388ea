/**
 * Consumer projects as a user has them: each fixture copied beside the packed tarball, installed
 * by `npm install` from the registry (through the npm cache, so a second run is quick), then its
 * commands run and its servers started like a user starts them.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const fixtures = new URL('../fixtures/', import.meta.url);

/**
 * The environment of a consumer's commands: this run's, without what `npm test` adds for its own
 * package (`npm_package_*`, `npm_config_local_prefix` …), which would make npm treat this
 * repository as the consumer's project. The npm cache stays shared.
 */
function consumerEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const own = Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) || name === 'npm_config_cache');
  return { ...Object.fromEntries(own), NO_UPDATE_NOTIFIER: '1', ...env };
}

/** What a command printed. */
export interface Output {
  stdout: string;
  stderr: string;
}

/** A started server process. */
export interface Running {
  url: string;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** One installed consumer project. */
export interface Project {
  name: string;
  dir: string;
  /** Runs a command in the project; rejects with its output when it fails or outlasts `timeoutMs` (default 5 min). */
  run(command: string, args: string[], env?: Record<string, string>, timeoutMs?: number): Promise<Output>;
  /**
   * Starts a server on `env.PORT`, or on a free port it is given as `PORT`, and resolves once the
   * port accepts connections.
   */
  start(command: string, args: string[], env?: Record<string, string>): Promise<Running>;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

function project(name: string, dir: string): Project {
  return {
    name,
    dir,
    async run(command, args, env, timeoutMs = 300_000) {
      try {
        return await exec(command, args, {
          cwd: dir,
          env: consumerEnv(env),
          maxBuffer: 64 * 1024 * 1024,
          timeout: timeoutMs,
          killSignal: 'SIGKILL',
        });
      } catch (error) {
        const { stdout = '', stderr = '', message } = error as Error & Partial<Output>;
        throw new Error(`${name}: ${command} ${args.join(' ')} failed: ${message}\n${stdout}\n${stderr}`);
      }
    },
    async start(command, args, env = {}) {
      const port = env.PORT ? Number(env.PORT) : await freePort();
      const child: ChildProcess = spawn(command, args, {
        cwd: dir,
        // The servers take the sandbox's play money, which the memory store keeps well enough; it
        // spares each project a build of better-sqlite3, the default store's driver.
        env: consumerEnv({ DQR_STORE: 'memory', ...env, PORT: String(port) }),
        stdio: ['ignore', 'pipe', 'pipe'],
        // A group of its own: `npx` runs the command in a child of its own, which a signal to
        // `npx` alone would leave running (and holding this process's pipes open).
        detached: true,
      });
      let output = '';
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      // Once the whole group is gone: its last process closes the pipes.
      const exited = once(child, 'close');
      // The server is up once its port takes a connection; a process that exits first never will be.
      while (!(await accepts(port))) {
        const ended = await Promise.race([exited.then(() => true), new Promise((done) => setTimeout(done, 50, false))]);
        if (ended) {
          throw new Error(`${name}: ${command} ${args.join(' ')} exited with ${child.exitCode}:\n${output}`);
        }
      }
      return {
        url: `http://127.0.0.1:${port}`,
        output: () => output,
        async stop() {
          try {
            process.kill(-child.pid!, 'SIGTERM');
          } catch {
            // The group has already exited.
          }
          await exited;
        },
      };
    },
  };
}

/** The installed projects, and the folder to remove after them. */
export interface Installed {
  projects: Record<string, Project>;
  remove(): Promise<void>;
}

/** Copies each fixture beside `tarball` (as `../amazonpay-dqr.tgz`) and installs them all at once. */
export async function install(tarball: string, names: readonly string[]): Promise<Installed> {
  const root = await mkdtemp(join(tmpdir(), 'amazonpay-dqr-consumers-'));
  await copyFile(tarball, join(root, 'amazonpay-dqr.tgz'));
  const installed = await Promise.all(
    names.map(async (name) => {
      const dir = join(root, name);
      await cp(new URL(`${name}/`, fixtures), dir, { recursive: true });
      const consumer = project(name, dir);
      await consumer.run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error']);
      return [name, consumer] as const;
    }),
  );
  return {
    projects: Object.fromEntries(installed),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
