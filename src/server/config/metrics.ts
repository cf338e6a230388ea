/**
 * Whether and where the metrics are served: off by default; on a port of their own
 * (`DQR_METRICS_PORT`, loopback unless `DQR_METRICS_HOST` says otherwise), or on the server's own
 * port to whoever sends the operator's token (`DQR_METRICS_TOKEN`), or both.
 */
import type { Settings } from './env.js';

/** Where Prometheus scrapes the metrics. */
export interface MetricsConfig {
  /** Whether they are served at all. */
  enabled: boolean;
  /** `DQR_METRICS_PATH`, default `/metrics`. */
  path: string;
  /** `DQR_METRICS_PORT`: a listener of their own. Absent: none. */
  port?: number;
  /** `DQR_METRICS_HOST`, where that listener binds: default `127.0.0.1`. */
  host: string;
  /** `DQR_METRICS_TOKEN`: the bearer token a scrape must carry, wherever the metrics are served. */
  token?: string;
}

/** Whether `host` is reached from this machine only. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** A token shorter than this is too easy to guess for what it protects. */
const MIN_TOKEN_LENGTH = 32;

/** Reads the metrics settings. */
export function readMetrics(settings: Settings): MetricsConfig {
  const path = settings.text('DQR_METRICS_PATH') ?? '/metrics';
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(path)) {
    settings.problem('DQR_METRICS_PATH must be a path such as /metrics (starting with /, no trailing /).');
  }
  const port = settings.has('DQR_METRICS_PORT') ? settings.integer('DQR_METRICS_PORT', 0, 0, 65_535) : undefined;
  const token = settings.secret('DQR_METRICS_TOKEN');
  if (token !== undefined && (token.length < MIN_TOKEN_LENGTH || /\s/.test(token))) {
    settings.problem(
      `DQR_METRICS_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters without spaces (e.g. openssl rand -hex 32).`,
    );
  }
  return {
    enabled: port !== undefined || token !== undefined,
    path,
    port,
    host: settings.text('DQR_METRICS_HOST') ?? '127.0.0.1',
    token,
  };
}
