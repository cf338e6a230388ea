/**
 * Amazon Pay India request and response signatures (AWS4-HMAC-SHA384), as the facts page and the
 * seed's canonical examples define them. Used by the backend's client to sign calls and verify
 * answers, and by the sandbox to do the reverse: one canonical form for both.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { flattenJsonObject } from './signing-json.js';
import { AmazonPayError } from './amazon-pay/types.js';

/** The only algorithm Amazon Pay India accepts, sent as `x-amz-algorithm`. */
export const ALGORITHM = 'AWS4-HMAC-SHA384';
/** The signing scope's region: inferred from public integrations, so configurable. */
export const DEFAULT_REGION = 'eu-west-1';
/** The signing scope's service name: inferred like the region. */
export const DEFAULT_SERVICE = 'AmazonPay';

/** Characters RFC 3986 leaves as they are: most names and values of a signed call are made of nothing else. */
const UNRESERVED = /^[A-Za-z0-9._~-]*$/;

/** RFC 3986 percent-encoding: `encodeURIComponent` plus `!'()*`; a space is `%20`. */
export function encodeRfc3986(value: string): string {
  if (UNRESERVED.test(value)) return value;
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `name=value` pairs sorted by name, both encoded, joined with `&`. */
function encodePairs(pairs: Iterable<[string, string]>): string {
  return [...pairs]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`)
    .join('&');
}

/** One request (or response) as the canonical form needs it. */
export interface CanonicalRequestInput {
  method: string;
  /** The full URL, query included for GET: `https://amazonpay.amazon.in/v2/pay/cancel`. */
  url: string;
  /** The `x-amz-*` header values by lowercase name. */
  amzHeaders: Record<string, string>;
  /** The raw JSON text sent or received, or undefined when there is none. */
  body?: string;
}

/** The five-line canonical request: method, host and path, query, `x-amz-*` headers, body fields. */
export function canonicalRequest({ method, url, amzHeaders, body }: CanonicalRequestInput): string {
  const parsed = new URL(url);
  return [
    method.toUpperCase(),
    `${parsed.host}${parsed.pathname}`,
    parsed.search ? encodePairs(parsed.searchParams) : '',
    encodePairs(Object.entries(amzHeaders).map(([name, value]) => [name.toLowerCase(), value])),
    body === undefined || body.trim() === '' ? '' : encodePairs(flattenJsonObject(body)),
  ].join('\n');
}

/** `yyyyMMdd'T'HHmmss'Z'` in UTC. */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** What the signing key is derived from: the secret and the signed date's scope. */
export interface SigningKeyInput {
  secretKey: string;
  /** The `x-amz-date` of the request or response being signed. */
  amzDate: string;
  region?: string;
  service?: string;
}

const hmac = (key: string | Buffer, data: string) => createHmac('sha384', key).update(data, 'utf8').digest();

/**
 * The signing keys derived today, by secret, day, region and service: four of a signature's five
 * HMACs depend on nothing else, so each key is derived once a day instead of once per signature, as
 * AWS's own SDKs do. Held for the few keys in use (a sandbox's and a merchant's), cleared when full.
 */
const signingKeys = new Map<string, Buffer>();
const SIGNING_KEYS_HELD = 16;

function signingKey(secretKey: string, day: string, region: string, service: string): Buffer {
  const id = JSON.stringify([secretKey, day, region, service]);
  let key = signingKeys.get(id);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${secretKey}`, day), region), service), 'aws4_request');
    if (signingKeys.size >= SIGNING_KEYS_HELD) signingKeys.clear();
    signingKeys.set(id, key);
  }
  return key;
}

/** The base64url HMAC-SHA384 signature of a canonical request (64 characters, no padding). */
export function signCanonical(canonical: string, input: SigningKeyInput): string {
  const { secretKey, region = DEFAULT_REGION, service = DEFAULT_SERVICE } = input;
  const day = input.amzDate.slice(0, 8);
  const stringToSign = [
    ALGORITHM,
    input.amzDate,
    `${day}/${region}/${service}/aws4_request`,
    createHash('sha384').update(canonical, 'utf8').digest('hex'),
  ].join('\n');
  return hmac(signingKey(secretKey, day, region, service), stringToSign).toString('base64url');
}

/** Who signs an Amazon Pay call, and what its `x-amz-*` headers say about the caller. */
export interface RequestSigner {
  merchantId: string;
  accessKeyId: string;
  secretKey: string;
  region?: string;
  service?: string;
  /** Between `AMZ` and the access key id in `Authorization`: `+` documented, a space seen in one SDK. */
  authorizationSeparator?: '+' | ' ';
  userAgent?: string;
  /** The originating IP sent as `x-amz-user-ip`. */
  sourceIp?: string;
  signatureTtlSeconds?: number;
}

/**
 * The headers that make a call Amazon Pay accepts: the seven signed `x-amz-*` headers and
 * `Authorization`. One function for the client and for tests, so nothing hand-crafts a signature.
 */
export function signRequest(
  request: { method: string; url: string; body?: string; date: Date },
  signer: RequestSigner,
): Record<string, string> {
  const date = amzDate(request.date);
  const amzHeaders = {
    'x-amz-algorithm': ALGORITHM,
    'x-amz-client-id': signer.merchantId,
    'x-amz-date': date,
    'x-amz-expires': String(signer.signatureTtlSeconds ?? 900),
    'x-amz-source': 'Server',
    'x-amz-user-agent': signer.userAgent ?? 'POS',
    'x-amz-user-ip': signer.sourceIp ?? '127.0.0.1',
  };
  const signature = signCanonical(canonicalRequest({ ...request, amzHeaders }), { ...signer, amzDate: date });
  return {
    ...amzHeaders,
    authorization: `AMZ${signer.authorizationSeparator ?? '+'}${signer.accessKeyId}:${signature}`,
  };
}

/**
 * How the verification canonical of an answer may be built: its method line, and whether line 3 is
 * empty or the request's query. Amazon documents it for POST only (the request's method, line 3
 * empty); for Get status one public integration verifies with method line `POST`, and the query
 * may stand in line 3. Every variant still needs the secret key.
 */
export const RESPONSE_VARIANTS = ['GET', 'POST', 'GET+query', 'POST+query'] as const;
/** One way of building an answer's verification canonical (see `RESPONSE_VARIANTS`). */
export type ResponseVariant = (typeof RESPONSE_VARIANTS)[number];

/** What a signed Amazon Pay response is checked against. */
export interface ResponseSignatureInput {
  /** The request's method and URL: the response canonical reuses its host and path. */
  method: string;
  url: string;
  requestId: string;
  amzDate: string;
  bodyText: string;
  secretKey: string;
  region?: string;
  service?: string;
  /** The canonical's method line and line 3; default the request's method and an empty line 3. */
  variant?: ResponseVariant;
}

/** The response-verification canonical: the three response headers and the body. */
export function responseCanonical(input: Omit<ResponseSignatureInput, 'secretKey' | 'region' | 'service'>): string {
  const { origin, pathname, search } = new URL(input.url);
  const [method, query] = (input.variant ?? input.method).split('+');
  return canonicalRequest({
    method,
    url: `${origin}${pathname}${query ? search : ''}`,
    amzHeaders: { 'x-amz-algorithm': ALGORITHM, 'x-amz-date': input.amzDate, 'x-amz-request-id': input.requestId },
    body: input.bodyText,
  });
}

/** The `x-amz-signature` a response must carry. */
export function signResponse(input: ResponseSignatureInput): string {
  return signCanonical(responseCanonical(input), input);
}

/**
 * Checks an Amazon Pay response's signature in constant time against each of `variants` in turn
 * (default: the documented one only) and returns the variant that matched. A response without a
 * valid signature is never trusted: a forged "paid" must not reach a cashier.
 */
export function verifyResponseSignature(
  input: Omit<ResponseSignatureInput, 'requestId' | 'amzDate' | 'variant'> & {
    headers: Headers;
    variants?: readonly ResponseVariant[];
  },
): ResponseVariant {
  const requestId = input.headers.get('x-amz-request-id');
  const date = input.headers.get('x-amz-date');
  const signature = input.headers.get('x-amz-signature');
  if (!requestId || !date || !signature) {
    throw new AmazonPayError('signature', 'SignatureMissing', 'The Amazon Pay response carries no signature.');
  }
  const given = Buffer.from(signature, 'utf8');
  for (const variant of input.variants ?? [input.method.toUpperCase() as ResponseVariant]) {
    let expected: Buffer;
    try {
      expected = Buffer.from(signResponse({ ...input, requestId, amzDate: date, variant }), 'utf8');
    } catch (error) {
      throw new AmazonPayError(
        'signature',
        'SignatureInvalid',
        `The Amazon Pay response body cannot be verified: ${(error as Error).message}`,
      );
    }
    if (given.length === expected.length && timingSafeEqual(given, expected)) return variant;
  }
  throw new AmazonPayError('signature', 'SignatureInvalid', 'The Amazon Pay response signature does not match.');
}
