/** The shape of an `amazonpay-dqr-backend` command, which `main.ts` lists by name, and its helpers. */
import { ConfigError, loadConfig, type Env, type ServerConfig } from '../config/index.js';

/** One command of `amazonpay-dqr-backend`. */
export interface Command {
  /** One line for `--help`. */
  summary: string;
  /**
   * Runs with the arguments after the command's name. Resolves with the exit status, or with
   * `undefined` when the process goes on running (the server).
   */
  run(args: readonly string[], env: Env): Promise<number | undefined>;
}

/** Exit status of a command line that makes no sense. */
export const USAGE_ERROR = 2;

/** What `make` returns, or undefined after printing the problems of the `ConfigError` it threw. */
export function unlessConfigError<T>(make: () => T): T | undefined {
  try {
    return make();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return undefined;
  }
}

/** The configuration in `env`, or undefined after printing every problem with it. */
export function configOrProblems(env: Env): ServerConfig | undefined {
  return unlessConfigError(() => loadConfig(env));
}

/** For a command that takes no arguments: says so and returns `USAGE_ERROR` when some were given. */
export function refuseArguments(name: string, args: readonly string[]): number | undefined {
  if (args.length === 0) return undefined;
  console.error(`amazonpay-dqr-backend ${name} takes no arguments (got ${args.join(' ')}); see --help.`);
  return USAGE_ERROR;
}
