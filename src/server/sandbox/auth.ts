/**
 * How the sandbox checks a merchant's request exactly as Amazon Pay would: the seven `x-amz-*`
 * headers, the `Authorization` header's key and signature, and the signature's age.
 */
import { timingSafeEqual } from 'node:crypto';
import { ALGORITHM, canonicalRequest, signCanonical } from '../signing.js';
import { AmazonApiError } from './errors.js';

const SIGNED_HEADERS = [
  'x-amz-algorithm',
  'x-amz-client-id',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-source',
  'x-amz-user-agent',
  'x-amz-user-ip',
] as const;

/** The one merchant the sandbox knows, and the key it signs with. */
export interface SandboxMerchant {
  merchantId: string;
  accessKeyId: string;
  secretKey: string;
}

const failed = (message: string) => new AmazonApiError(401, 'AuthorizationFailed', message);

/** `20240912T073125Z` to milliseconds, or NaN. */
function parseAmzDate(value: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return match ? Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5], +match[6]) : NaN;
}

/**
 * Throws the error Amazon Pay answers when the request is not signed by `merchant`, now; with a
 * `separator`, an `Authorization` header with the other one is refused like a wrong signature.
 */
export function verifyRequest(
  request: Request,
  bodyText: string | undefined,
  merchant: SandboxMerchant,
  signing: { now: number; region?: string; service?: string; separator?: '+' | ' ' },
): void {
  const amzHeaders: Record<string, string> = {};
  for (const name of SIGNED_HEADERS) {
    const value = request.headers.get(name);
    if (!value) throw failed(`The ${name} header is missing.`);
    amzHeaders[name] = value;
  }
  if (amzHeaders['x-amz-algorithm'] !== ALGORITHM) throw failed(`x-amz-algorithm must be ${ALGORITHM}.`);
  const authorization = /^AMZ([+ ])([^:]+):([A-Za-z0-9_-]+)$/.exec(request.headers.get('authorization') ?? '');
  if (!authorization || (signing.separator && authorization[1] !== signing.separator)) {
    throw failed(`The Authorization header must read AMZ${signing.separator ?? '+'}<access key id>:<signature>.`);
  }
  if (authorization[2] !== merchant.accessKeyId) throw failed('The access key id is not known.');

  const signedAt = parseAmzDate(amzHeaders['x-amz-date']);
  const lifetime = Number(amzHeaders['x-amz-expires']);
  if (Number.isNaN(signedAt) || !Number.isInteger(lifetime) || lifetime <= 0) {
    throw failed('x-amz-date or x-amz-expires is malformed.');
  }
  if (signing.now > signedAt + lifetime * 1000) {
    throw new AmazonApiError(401, 'AuthorizationExpired', 'The request signature has expired.');
  }

  const canonical = canonicalRequest({ method: request.method, url: request.url, amzHeaders, body: bodyText });
  const expected = Buffer.from(
    signCanonical(canonical, { ...signing, secretKey: merchant.secretKey, amzDate: amzHeaders['x-amz-date'] }),
  );
  const given = Buffer.from(authorization[3]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw failed('The request signature does not match.');
  }
}
