/**
 * The server's configuration, read from the environment only (secrets never live in files). Sandbox
 * mode needs nothing: it uses the published test credentials below against the built-in Amazon Pay
 * emulator. Production refuses to start without real credentials.
 */
import { AMAZON_STATUS_SCHEDULE } from './backend/tracker.js';

/** `sandbox`: the built-in emulator plays Amazon Pay. `production`: the real Amazon Pay India. */
export type Mode = 'sandbox' | 'production';

/** How the server reaches Amazon Pay. */
export interface AmazonPayConfig {
  baseUrl: string;
  merchantId: string;
  accessKeyId: string;
  secretKey: string;
  storeId: string;
  storeIdType: string;
  region: string;
  service: string;
  /** Between `AMZ` and the access key id in `Authorization`: `+` as documented, or a space. */
  authorizationSeparator: '+' | ' ';
  timeoutMs: number;
}

/** Where orders live: this process's memory, or a Redis shared by several instances. */
export type StoreConfig = { kind: 'memory' } | { kind: 'redis'; url: string };

/** Everything `createApp` and `npm run backend` need. */
export interface ServerConfig {
  mode: Mode;
  amazonPay: AmazonPayConfig;
  basePath: string;
  corsOrigins: string[];
  /** The backend's public origin (and path prefix), for the IPN URL registered with Amazon. */
  publicUrl?: string;
  /** Seconds between status checks while a long poll waits. */
  statusScheduleSeconds: number[];
  store: StoreConfig;
  port: number;
  host: string;
}

/** Every problem found in the environment, one per line, so one fix-and-retry is enough. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Test credentials of the sandbox: public by design, accepted by nothing but the emulator. */
export const SANDBOX_CREDENTIALS = {
  merchantId: 'A1SANDBOXDQR00',
  accessKeyId: 'AKSANDBOXDQR0000',
  secretKey: 'sandbox-secret-key-not-a-secret',
  storeId: 'SANDBOX-STORE-1',
} as const;

const PRODUCTION_BASE_URL = 'https://amazonpay.amazon.in';
const CREDENTIALS = {
  merchantId: 'AMAZON_PAY_MERCHANT_ID',
  accessKeyId: 'AMAZON_PAY_ACCESS_KEY_ID',
  secretKey: 'AMAZON_PAY_SECRET_KEY',
  storeId: 'AMAZON_PAY_STORE_ID',
} as const;

type Env = Record<string, string | undefined>;

/** Reads and checks the configuration; throws a `ConfigError` listing every problem. */
export function loadConfig(env: Env = process.env): ServerConfig {
  const problems: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const text = read(name);
    if (text === undefined) return fallback;
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(value >= min && value <= max)) problems.push(`${name} must be a whole number from ${min} to ${max}.`);
    return value;
  };
  const url = (name: string, fallback?: string) => {
    const text = read(name) ?? fallback;
    if (text === undefined) return undefined;
    if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) {
      problems.push(`${name} must be an http(s) URL.`);
    }
    return text.replace(/\/+$/, '');
  };

  const mode = read('AMAZON_PAY_MODE') ?? 'sandbox';
  if (mode !== 'sandbox' && mode !== 'production') problems.push('AMAZON_PAY_MODE must be "sandbox" or "production".');
  const production = mode === 'production';

  const credentials: Record<keyof typeof CREDENTIALS, string> = { ...SANDBOX_CREDENTIALS };
  for (const [key, name] of Object.entries(CREDENTIALS) as [keyof typeof CREDENTIALS, string][]) {
    const value = read(name);
    if (value !== undefined) credentials[key] = value;
    else if (production) problems.push(`${name} is required in production mode.`);
  }

  const baseUrl = url('AMAZON_PAY_BASE_URL', PRODUCTION_BASE_URL) ?? PRODUCTION_BASE_URL;
  if (production && !baseUrl.startsWith('https://'))
    problems.push('AMAZON_PAY_BASE_URL must be https in production mode.');

  const separator = read('AMAZON_PAY_AUTH_SEPARATOR') ?? '+';
  if (separator !== '+' && separator !== 'space') problems.push('AMAZON_PAY_AUTH_SEPARATOR must be "+" or "space".');

  const basePath = read('DQR_BASE_PATH') ?? '/api/dqr';
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(basePath)) {
    problems.push('DQR_BASE_PATH must be a path such as /api/dqr (starting with /, no trailing /).');
  }

  const corsOrigins = (read('DQR_CORS_ORIGINS') ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      problems.push(`DQR_CORS_ORIGINS: ${origin} is not an origin such as https://shop.example.`);
    }
  }

  const scheduleText = read('DQR_STATUS_SCHEDULE');
  const statusScheduleSeconds = scheduleText?.split(',').map((step) => Number(step.trim())) ?? [
    ...AMAZON_STATUS_SCHEDULE,
  ];
  if (!statusScheduleSeconds.every((step) => step > 0 && step <= 600)) {
    problems.push('DQR_STATUS_SCHEDULE must be a comma-separated list of seconds, each above 0 and at most 600.');
  }

  const storeKind = read('DQR_STORE') ?? 'memory';
  const redisUrl = read('REDIS_URL');
  let store: StoreConfig = { kind: 'memory' };
  if (storeKind === 'redis') {
    if (redisUrl === undefined) problems.push('REDIS_URL is required when DQR_STORE is "redis".');
    else if (!URL.canParse(redisUrl) || !/^rediss?:$/.test(new URL(redisUrl).protocol))
      problems.push('REDIS_URL must be a redis:// or rediss:// URL.');
    else store = { kind: 'redis', url: redisUrl };
  } else if (storeKind !== 'memory') problems.push('DQR_STORE must be "memory" or "redis".');

  const config: ServerConfig = {
    mode: production ? 'production' : 'sandbox',
    amazonPay: {
      baseUrl,
      ...credentials,
      storeIdType: read('AMAZON_PAY_STORE_ID_TYPE') ?? 'MERCHANT_STORE_ID',
      region: read('AMAZON_PAY_REGION') ?? 'eu-west-1',
      service: read('AMAZON_PAY_SERVICE') ?? 'AmazonPay',
      authorizationSeparator: separator === 'space' ? ' ' : '+',
      timeoutMs: integer('AMAZON_PAY_TIMEOUT_MS', 10_000, 100, 120_000),
    },
    basePath,
    corsOrigins,
    publicUrl: url('DQR_PUBLIC_URL'),
    statusScheduleSeconds,
    store,
    port: integer('PORT', 8787, 0, 65_535),
    host: read('HOST') ?? '127.0.0.1',
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
