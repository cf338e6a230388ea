/**
 * The server's configuration, read from the environment. Sandbox mode needs nothing: it uses the
 * published test credentials against the built-in Amazon Pay emulator. No mode is chosen silently:
 * an environment that looks like production must say which mode it means. Production refuses to
 * start without real credentials, the SNS topics it takes notifications from and an https public
 * URL. Each part of the configuration is read by a module of its own; the mode's rules are here.
 */
import type { Mode } from '../../contract/types.js';
import { AMAZON_STATUS_SCHEDULE } from '../backend/tracker.js';
import { CREDENTIAL_VARIABLES, readAmazonPay, type AmazonPayConfig } from './amazon-pay.js';
import { ConfigError } from './error.js';
import { Settings, type Env } from './env.js';
import { readHttp, type HttpConfig } from './http.js';
import { readJobs } from './jobs.js';
import { isLoopback, readMetrics, type MetricsConfig } from './metrics.js';
import { readSecurity, type SecurityConfig } from './security.js';
import { readStore, type StoreConfig } from './store.js';
import type { JobSettings } from '../backend/worker.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LoggerOptions } from '../log.js';

export { SANDBOX_CREDENTIALS, type AmazonPayConfig } from './amazon-pay.js';
export { ConfigError } from './error.js';
export type { Env } from './env.js';
export type { HttpConfig } from './http.js';
export type { MetricsConfig } from './metrics.js';
export type { SecurityConfig } from './security.js';
export type { StoreConfig } from './store.js';
export { DEFAULT_SQLITE_PATH } from './store.js';

/** `sandbox`: the built-in emulator plays Amazon Pay. `production`: the real Amazon Pay India. */
export type { Mode } from '../../contract/types.js';

/** Everything `createApp` and `npm run backend` need. */
export interface ServerConfig extends HttpConfig {
  mode: Mode;
  amazonPay: AmazonPayConfig;
  /** Seconds between status checks while a long poll waits. */
  statusScheduleSeconds: number[];
  store: StoreConfig;
  /** The terminals' tokens, the SNS topics and the pending-order caps. */
  security: SecurityConfig;
  /** How the backend's jobs (refunds, follow-ups, settlements) are paced. */
  jobs: JobSettings;
  /** `LOG_LEVEL`: the quietest level that is still written. */
  logLevel: NonNullable<LoggerOptions['level']>;
  /** `LOG_FORMAT`: `json` lines, or `pretty` ones for a developer. */
  logFormat: LogFormat;
  /** Whether and where Prometheus scrapes the metrics. */
  metrics: MetricsConfig;
}

/**
 * Variables that only make sense with real money (a credential, or the file holding it, and the
 * host): set without a mode, they make the mode a question.
 */
const PRODUCTION_SIGNS = [
  ...Object.values(CREDENTIAL_VARIABLES).flatMap((name) => [name, `${name}_FILE`]),
  'AMAZON_PAY_BASE_URL',
];

/** `AMAZON_PAY_MODE`; sandbox when unset, unless the environment looks like production. */
function readMode(settings: Settings): Mode {
  if (settings.has('AMAZON_PAY_MODE'))
    return settings.choice<Mode>('AMAZON_PAY_MODE', ['sandbox', 'production'], 'sandbox');
  const signs = PRODUCTION_SIGNS.filter((name) => settings.has(name));
  if (settings.text('NODE_ENV') === 'production') signs.unshift('NODE_ENV=production');
  if (signs.length > 0) {
    throw new ConfigError([
      `AMAZON_PAY_MODE is not set but ${signs.join(', ')} ${signs.length > 1 ? 'are' : 'is'}: set AMAZON_PAY_MODE=production to take real payments, or AMAZON_PAY_MODE=sandbox for the emulator.`,
    ]);
  }
  return 'sandbox';
}

/**
 * What production needs beyond credentials: where notifications come from, an https address, and
 * metrics that only the operator's scraper reads.
 */
function checkProduction(settings: Settings, config: ServerConfig) {
  const { metrics } = config;
  if (metrics.port !== undefined && metrics.token === undefined && !isLoopback(metrics.host)) {
    settings.problem(
      `DQR_METRICS_HOST=${metrics.host} serves the metrics to whoever reaches port ${metrics.port} in production mode: set DQR_METRICS_TOKEN (the scrape then sends it), or keep the metrics port on loopback.`,
    );
  }
  if (config.security.snsTopicArns.length === 0) {
    settings.problem(
      'AMAZON_PAY_SNS_TOPIC_ARNS is required in production mode: the SNS topic ARNs Amazon Pay sends notifications from.',
    );
  }
  if (config.publicUrl !== undefined && !config.publicUrl.startsWith('https://')) {
    settings.problem('DQR_PUBLIC_URL must be https in production mode.');
  }
}

/** Reads and checks the configuration; throws a `ConfigError` listing every problem. */
export function loadConfig(env: Env = process.env): ServerConfig {
  return configFrom(new Settings(env));
}

/** `loadConfig` over `settings`, which then know every variable the configuration asked for. */
export function configFrom(settings: Settings): ServerConfig {
  const mode = readMode(settings);
  const amazonPay = readAmazonPay(settings, mode);
  const config: ServerConfig = {
    mode,
    amazonPay,
    ...readHttp(settings),
    statusScheduleSeconds: settings.seconds('DQR_STATUS_SCHEDULE', AMAZON_STATUS_SCHEDULE, 600),
    store: readStore(settings, mode),
    security: readSecurity(settings),
    jobs: readJobs(settings, amazonPay.timeoutMs),
    logLevel: settings.choice('LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: settings.choice('LOG_FORMAT', LOG_FORMATS, 'json'),
    metrics: readMetrics(settings),
  };
  if (config.metrics.port !== undefined && config.metrics.port !== 0 && config.metrics.port === config.port) {
    settings.problem('DQR_METRICS_PORT must differ from PORT.');
  }
  if (mode === 'production') checkProduction(settings, config);
  if (settings.problems.length > 0) throw new ConfigError(settings.problems);
  return config;
}
