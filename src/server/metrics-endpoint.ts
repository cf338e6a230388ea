/**
 * The Prometheus scrape endpoint: the registry's text, to whoever carries the operator's token
 * when one is set (compared by hash in constant time, as terminal tokens are).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import { bearerToken, tokenDigest } from './bearer.js';
import type { FetchHandler } from './node-adapter.js';
import { refuseUnlessRead } from './read-only.js';

/** A handler answering every GET with the metrics in `registry`; with `token`, only to `Authorization: Bearer <token>`. */
export function metricsHandler(registry: Registry, token?: string): FetchHandler {
  const expected = token === undefined ? undefined : tokenDigest(token);
  return async (request) => {
    const refused = refuseUnlessRead(request);
    if (refused) return refused;
    if (expected) {
      const given = bearerToken(request);
      if (given === undefined || !timingSafeEqual(tokenDigest(given), expected)) {
        return Response.json(
          { code: 'UNAUTHORIZED', message: 'The metrics need the operator token (Authorization: Bearer …).' },
          { status: 401, headers: { 'www-authenticate': 'Bearer realm="amazonpay-dqr metrics"' } },
        );
      }
    }
    return new Response(await registry.metrics(), {
      headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
    });
  };
}
