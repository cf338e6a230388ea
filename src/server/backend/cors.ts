/**
 * CORS for the origins the merchant lists, and none otherwise: the element is usually served from
 * the backend's own origin, where no CORS is needed.
 */
import { HttpError } from './errors.js';

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/** CORS headers to add to an answer for `request`; empty when its origin is not listed. */
export function corsHeaders(request: Request, origins: readonly string[]): Record<string, string> {
  const origin = request.headers.get('origin');
  if (!origin || !origins.includes(origin)) return {};
  return { 'access-control-allow-origin': origin, vary: 'origin' };
}

/** The answer to a preflight: 204 with the allowed methods and headers, or 403 for other origins. */
export function preflight(request: Request, origins: readonly string[]): Response {
  const headers = corsHeaders(request, origins);
  if (!headers['access-control-allow-origin']) {
    throw new HttpError(403, 'FORBIDDEN', 'This origin may not call the backend.');
  }
  return new Response(null, {
    status: 204,
    headers: {
      ...headers,
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': request.headers.get('access-control-request-headers') ?? 'content-type',
      'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
    },
  });
}
