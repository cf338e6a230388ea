/**
 * Where the server listens, how long it waits for slow clients, where the contract is mounted and
 * who may call it from a browser.
 */
import { DEFAULT_TIMEOUTS, type ServerTimeouts } from '../node-adapter.js';
import type { Settings } from './env.js';

/** The HTTP side of the server. */
export interface HttpConfig {
  basePath: string;
  corsOrigins: string[];
  /** The backend's public origin (and path prefix), for the IPN URL registered with Amazon. */
  publicUrl?: string;
  port: number;
  host: string;
  /** How long a client may take to send its request, and stay idle between requests. */
  timeouts: Required<ServerTimeouts>;
  /** `DQR_SHUTDOWN_TIMEOUT_MS`: how long a shutdown waits for requests and Amazon Pay calls under way. */
  shutdownTimeoutMs: number;
}

function readTimeouts(settings: Settings): Required<ServerTimeouts> {
  const read = (name: string, fallback: number) => settings.integer(name, fallback, 1_000, 600_000);
  const timeouts = {
    headersTimeoutMs: read('DQR_HEADERS_TIMEOUT_MS', DEFAULT_TIMEOUTS.headersTimeoutMs),
    requestTimeoutMs: read('DQR_REQUEST_TIMEOUT_MS', DEFAULT_TIMEOUTS.requestTimeoutMs),
    keepAliveTimeoutMs: read('DQR_KEEP_ALIVE_TIMEOUT_MS', DEFAULT_TIMEOUTS.keepAliveTimeoutMs),
  };
  if (timeouts.headersTimeoutMs > timeouts.requestTimeoutMs) {
    settings.problem(
      'DQR_HEADERS_TIMEOUT_MS must not be above DQR_REQUEST_TIMEOUT_MS (the headers are part of the request).',
    );
  }
  return timeouts;
}

/** Reads the listening address, the timeouts, the base path, the CORS origins and the public URL. */
export function readHttp(settings: Settings): HttpConfig {
  const basePath = settings.text('DQR_BASE_PATH') ?? '/api/dqr';
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(basePath)) {
    settings.problem('DQR_BASE_PATH must be a path such as /api/dqr (starting with /, no trailing /).');
  }
  const corsOrigins = settings.list('DQR_CORS_ORIGINS');
  for (const origin of corsOrigins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      settings.problem(`DQR_CORS_ORIGINS: ${origin} is not an origin such as https://shop.example.`);
    }
  }
  return {
    basePath,
    corsOrigins,
    publicUrl: settings.url('DQR_PUBLIC_URL'),
    port: settings.integer('PORT', 8787, 0, 65_535),
    host: settings.text('HOST') ?? '127.0.0.1',
    timeouts: readTimeouts(settings),
    shutdownTimeoutMs: settings.integer('DQR_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
  };
}
