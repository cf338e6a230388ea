/**
 * The way out through the merchant's HTTP proxy, for networks where the backend may reach the
 * internet through one only. Requests tunnel through it (`CONNECT`), so TLS to Amazon stays end to
 * end and the proxy sees host names, never the signed requests or Amazon's answers.
 */
import { createRequire } from 'node:module';
import { ConfigError } from '../config/index.js';

type Undici = typeof import('undici');

/** undici is an optional peer dependency: only a server that names a proxy needs it. */
function loadUndici(): Undici {
  const require = createRequire(import.meta.url);
  try {
    return require('undici') as Undici;
  } catch {
    throw new ConfigError([
      'AMAZON_PAY_PROXY_URL needs the undici package, an optional peer dependency of amazonpay-dqr: npm install undici@7',
    ]);
  }
}

/** A `fetch` that sends every request through the proxy at `proxyUrl` (`http://[user:password@]host:port`). */
export function proxiedFetch(proxyUrl: string): typeof fetch {
  const { fetch: undiciFetch, ProxyAgent } = loadUndici();
  const dispatcher = new ProxyAgent(proxyUrl);
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })) as unknown as typeof fetch;
}
