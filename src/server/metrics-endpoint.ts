/**
 * The Prometheus scrape endpoint: the registry's text, to whoever carries the operator's token
 * when one is set (compared by hash in constant time, as terminal tokens are).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { FetchHandler } from './node-adapter.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** A handler answering every GET with the metrics in `registry`; with `token`, only to `Authorization: Bearer <token>`. */
export function metricsHandler(registry: Registry, token?: string): FetchHandler {
  const expected = token === undefined ? undefined : sha256(token);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return Response.json(
        { code: 'METHOD_NOT_ALLOWED', message: 'Use GET here.' },
        { status: 405, headers: { allow: 'GET, HEAD' } },
      );
    }
    if (expected) {
      const given = /^Bearer +(\S+) *$/i.exec(request.headers.get('authorization') ?? '')?.[1];
      if (given === undefined || !timingSafeEqual(sha256(given), expected)) {
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
