/**
 * Verifying an AWS SNS envelope, cheapest check first: its fields, its topic against the
 * merchant's allow-list and its timestamp window are checked before anything is fetched; the
 * signing certificate comes only from a URL of the exact shape SNS uses, a few times a minute at
 * most, and a bounded number of certificates is kept. A verified message is handled once per `MessageId`.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readText } from '../body.js';
import { DuplicateKeyError, parseSignedJson } from '../signing-json.js';
import { snsStringToSign, type SnsMessage } from '../sns.js';
import { HttpError } from './errors.js';

/** How far an envelope's `Timestamp` may be behind the server's clock (SNS retries for about a minute). */
export const SNS_MAX_AGE_MS = 15 * 60_000;
/** How far ahead, for a clock that is a little off. */
const SNS_MAX_AHEAD_MS = 5 * 60_000;
const CERT_SIZE_LIMIT = 16 * 1024;
const FETCH_TIMEOUT_MS = 5_000;
/** Certificates kept at once: SNS uses one per region, changing it rarely. */
const MAX_CERTIFICATES = 8;
/** Certificate fetches a minute at most: forged envelopes naming ever new certificates fetch no more. */
const MAX_FETCHES_PER_MINUTE = 10;
/** Message ids remembered at once; only verified messages are remembered. */
const MAX_REMEMBERED = 10_000;
const SNS_HOST = /^sns\.[a-z]{2}(?:-[a-z]+)+-\d\.amazonaws\.com$/;
/** Where SNS serves its signing certificates. */
const SNS_CERT_URL =
  /^https:\/\/sns\.[a-z]{2}(?:-[a-z]+)+-\d\.amazonaws\.com\/SimpleNotificationService-[0-9a-f]{32}\.pem$/;
const SIGNATURE_HASHES: Record<string, string> = { '1': 'sha1', '2': 'sha256' };
const TYPES = ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'];
const REQUIRED_FIELDS = [
  'Type',
  'MessageId',
  'TopicArn',
  'Message',
  'Timestamp',
  'SignatureVersion',
  'Signature',
  'SigningCertURL',
];

/** Whom to believe. */
export interface SnsVerifierOptions {
  /** The topics notifications may come from; anything else is refused unfetched. */
  topicArns: () => readonly string[];
  /** Origins besides SNS's own that may serve certificates and subscriptions (the sandbox's). */
  trustedOrigins: () => readonly string[];
  fetch: typeof fetch;
  now: () => number;
}

/** Checks envelopes, and runs each verified message's handling once. */
export interface SnsVerifier {
  /** The envelope in `text`, verified; a 400 saying why it was ignored otherwise (a 503 when the certificate could not be fetched). */
  verify(text: string): Promise<SnsMessage>;
  /** Whether `url` is a subscription link SNS would send for `envelope`'s topic. */
  isSubscribeUrl(url: string | undefined, envelope: SnsMessage): boolean;
  /**
   * `handle`'s result for the first delivery of a message; later deliveries wait for it and get
   * `duplicate`. A failed handling is forgotten, so SNS's next delivery is handled afresh.
   */
  once<T extends string>(envelope: SnsMessage, handle: () => Promise<T>): Promise<T | 'duplicate'>;
}

/** A 400 for an envelope that changes nothing; `reason` says why in a word, for the metrics. */
export class RejectedNotification extends HttpError {
  override readonly name: string = 'RejectedNotification';
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(400, 'INVALID_REQUEST', `The notification was ignored: ${message}`);
  }
}

/** A 400 for an envelope that changes nothing. */
export function ignored(reason: string, message: string): RejectedNotification {
  return new RejectedNotification(reason, message);
}

function parseEnvelope(text: string): SnsMessage {
  let envelope: unknown;
  try {
    envelope = parseSignedJson(text);
  } catch (error) {
    if (error instanceof DuplicateKeyError) throw ignored('duplicate_key', 'the body has a key twice.');
    throw ignored('not_json', 'the body is not JSON.');
  }
  const fields = envelope as Record<string, unknown>;
  const missing = REQUIRED_FIELDS.filter((name) => typeof fields?.[name] !== 'string' || fields[name] === '');
  if (missing.length > 0) throw ignored('missing_fields', `it lacks ${missing.join(', ')}.`);
  return envelope as SnsMessage;
}

/** Creates a verifier; it keeps its certificates and the ids of messages it has seen. */
export function createSnsVerifier(options: SnsVerifierOptions): SnsVerifier {
  const certificates = new Map<string, Promise<KeyObject>>();
  const fetchedAt: number[] = [];
  const seen = new Map<string, { until: number; result: Promise<string> }>();

  function fromTrustedOrigin(url: string) {
    return URL.canParse(url) && options.trustedOrigins().includes(new URL(url).origin);
  }

  function signingKey(url: string) {
    let key = certificates.get(url);
    if (key) {
      // Most recently used last: the first one is the one to drop.
      certificates.delete(url);
    } else {
      const time = options.now();
      while (fetchedAt.length > 0 && fetchedAt[0] <= time - 60_000) fetchedAt.shift();
      if (fetchedAt.length >= MAX_FETCHES_PER_MINUTE) return Promise.reject(new Error('Too many certificate fetches.'));
      fetchedAt.push(time);
      key = options
        .fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' })
        .then(async (response) => {
          const pem = await readText(response, CERT_SIZE_LIMIT);
          if (!response.ok) throw new Error(`GET ${url} answered ${response.status}.`);
          return createPublicKey(pem);
        });
      key.catch(() => certificates.delete(url));
    }
    certificates.set(url, key);
    if (certificates.size > MAX_CERTIFICATES) certificates.delete(certificates.keys().next().value!);
    return key;
  }

  function checkUnfetched(envelope: SnsMessage) {
    if (!TYPES.includes(envelope.Type)) throw ignored('type', `Type ${envelope.Type} is not an SNS message type.`);
    if (!SIGNATURE_HASHES[envelope.SignatureVersion]) {
      throw ignored('signature_version', `SignatureVersion ${envelope.SignatureVersion} is not supported.`);
    }
    if (!options.topicArns().includes(envelope.TopicArn))
      throw ignored('topic', 'its TopicArn is not one this backend accepts.');
    const sent = Date.parse(envelope.Timestamp);
    const time = options.now();
    if (!(sent >= time - SNS_MAX_AGE_MS && sent <= time + SNS_MAX_AHEAD_MS)) {
      throw ignored('timestamp', 'its Timestamp is outside the accepted window.');
    }
    if (!SNS_CERT_URL.test(envelope.SigningCertURL) && !fromTrustedOrigin(envelope.SigningCertURL)) {
      throw ignored('certificate_url', 'its signing certificate is not from Amazon SNS.');
    }
  }

  function forget(time: number) {
    for (const [id, entry] of seen) if (entry.until <= time) seen.delete(id);
    while (seen.size >= MAX_REMEMBERED) seen.delete(seen.keys().next().value!);
  }

  return {
    async verify(text) {
      const envelope = parseEnvelope(text);
      checkUnfetched(envelope);
      const key = await signingKey(envelope.SigningCertURL).catch(() => {
        throw new HttpError(503, 'UPSTREAM_UNAVAILABLE', 'The SNS signing certificate could not be fetched.');
      });
      const data = Buffer.from(snsStringToSign(envelope), 'utf8');
      const signature = Buffer.from(envelope.Signature, 'base64');
      if (!verify(SIGNATURE_HASHES[envelope.SignatureVersion], data, key, signature)) {
        throw ignored('signature', 'its signature does not verify.');
      }
      return envelope;
    },

    isSubscribeUrl(url, envelope) {
      if (!url || !URL.canParse(url)) return false;
      if (fromTrustedOrigin(url)) return true;
      const parsed = new URL(url);
      return (
        parsed.protocol === 'https:' &&
        parsed.port === '' &&
        parsed.username === '' &&
        SNS_HOST.test(parsed.hostname) &&
        parsed.pathname === '/' &&
        parsed.searchParams.get('Action') === 'ConfirmSubscription' &&
        parsed.searchParams.get('TopicArn') === envelope.TopicArn
      );
    },

    async once(envelope, handle) {
      const time = options.now();
      const earlier = seen.get(envelope.MessageId);
      if (earlier && earlier.until > time) {
        await earlier.result;
        return 'duplicate';
      }
      forget(time);
      const result = handle();
      const entry = { until: Date.parse(envelope.Timestamp) + SNS_MAX_AGE_MS, result };
      seen.set(envelope.MessageId, entry);
      result.catch(() => {
        if (seen.get(envelope.MessageId) === entry) seen.delete(envelope.MessageId);
      });
      return result;
    },
  };
}
