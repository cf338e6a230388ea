/**
 * The way out through the merchant's HTTP proxy, for networks where the backend may reach the
 * internet through one only. Requests tunnel through it (`CONNECT`), so TLS to Amazon stays end to
 * end and the proxy sees host names, never the signed requests or Amazon's answers.
 */
import type * as Undici from 'undici';
import { loadOptionalPeer } from '../optional-peer.js';

/** A `fetch` that sends every request through the proxy at `proxyUrl` (`http://[user:password@]host:port`). */
export function proxiedFetch(proxyUrl: string): typeof fetch {
  const { fetch: undiciFetch, ProxyAgent } = loadOptionalPeer<typeof Undici>(
    'undici',
    'undici@7',
    'AMAZON_PAY_PROXY_URL',
  );
  const dispatcher = new ProxyAgent(proxyUrl);
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })) as unknown as typeof fetch;
}
