/**
 * Packages only some servers need (a proxy's HTTP client, the readable log format) are optional
 * peer dependencies: an install that never uses them does not download them, and one that asks for
 * them without them stops at once, saying what to install.
 */
import { createRequire } from 'node:module';
import { ConfigError } from './config/error.js';

const require = createRequire(import.meta.url);

/** Loads `name` for `setting` (such as `LOG_FORMAT=pretty`), or throws a `ConfigError` saying `npm install <install>`. */
export function loadOptionalPeer<T>(name: string, install: string, setting: string): T {
  try {
    require.resolve(name);
  } catch {
    throw new ConfigError([
      `${setting} needs the ${name} package, an optional peer dependency of amazonpay-dqr: npm install ${install}`,
    ]);
  }
  return require(name) as T;
}
