/**
 * The server's configuration, read from the environment. Sandbox mode needs nothing: it uses the
 * published test credentials against the built-in Amazon Pay emulator. Production refuses to start
 * without real credentials. Each part of the configuration is read by a module of its own.
 */
import { AMAZON_STATUS_SCHEDULE } from '../backend/tracker.js';
import { readAmazonPay, type AmazonPayConfig } from './amazon-pay.js';
import { Settings, type Env } from './env.js';
import { readHttp, type HttpConfig } from './http.js';
import { readStore, type StoreConfig } from './store.js';
import { LOG_LEVELS, type LoggerOptions } from '../log.js';

export { SANDBOX_CREDENTIALS, type AmazonPayConfig } from './amazon-pay.js';
export type { Env } from './env.js';
export type { HttpConfig } from './http.js';
export type { StoreConfig } from './store.js';

/** `sandbox`: the built-in emulator plays Amazon Pay. `production`: the real Amazon Pay India. */
export type Mode = 'sandbox' | 'production';

/** Everything `createApp` and `npm run backend` need. */
export interface ServerConfig extends HttpConfig {
  mode: Mode;
  amazonPay: AmazonPayConfig;
  /** Seconds between status checks while a long poll waits. */
  statusScheduleSeconds: number[];
  store: StoreConfig;
  /** `LOG_LEVEL`: the quietest level that is still written. */
  logLevel: NonNullable<LoggerOptions['level']>;
}

/** Every problem found in the environment, one per line, so one fix-and-retry is enough. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

function readStatusSchedule(settings: Settings): number[] {
  const text = settings.text('DQR_STATUS_SCHEDULE');
  const schedule = text?.split(',').map((step) => Number(step.trim())) ?? [...AMAZON_STATUS_SCHEDULE];
  if (!schedule.every((step) => step > 0 && step <= 600)) {
    settings.problem('DQR_STATUS_SCHEDULE must be a comma-separated list of seconds, each above 0 and at most 600.');
  }
  return schedule;
}

/** Reads and checks the configuration; throws a `ConfigError` listing every problem. */
export function loadConfig(env: Env = process.env): ServerConfig {
  const settings = new Settings(env);
  const mode = settings.choice<Mode>('AMAZON_PAY_MODE', ['sandbox', 'production'], 'sandbox');
  const config: ServerConfig = {
    mode,
    amazonPay: readAmazonPay(settings, mode),
    ...readHttp(settings),
    statusScheduleSeconds: readStatusSchedule(settings),
    store: readStore(settings),
    logLevel: settings.choice('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
  if (settings.problems.length > 0) throw new ConfigError(settings.problems);
  return config;
}
