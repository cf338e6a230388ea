/**
 * Bearer tokens as the server takes them (a terminal's, the operator's for the metrics): read from
 * `Authorization: Bearer <token>` and compared by SHA-256 digest in constant time, so neither a
 * stored hash nor an answer's timing gives a token away.
 */
import { createHash } from 'node:crypto';

/** The token `request` carries as `Authorization: Bearer <token>`, if any. */
export function bearerToken(request: Request): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(request.headers.get('authorization') ?? '')?.[1];
}

/** The SHA-256 digest of `token`: what tokens are compared (and stored) as. */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
