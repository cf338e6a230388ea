/** Where the server listens, where the contract is mounted and who may call it from a browser. */
import type { Settings } from './env.js';

/** The HTTP side of the server. */
export interface HttpConfig {
  basePath: string;
  corsOrigins: string[];
  /** The backend's public origin (and path prefix), for the IPN URL registered with Amazon. */
  publicUrl?: string;
  port: number;
  host: string;
}

/** Reads the listening address, the base path, the CORS origins and the public URL. */
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
  };
}
