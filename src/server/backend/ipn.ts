/**
 * The IPN endpoint: AWS SNS envelopes from Amazon Pay. A notification is only a wake-up call: once
 * its SNS signature verifies, the order it names gets a signed Get-status call, and that answer
 * decides. Anything forged, malformed or about an unknown order changes nothing.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { checkOrderId } from '../../contract/rules.js';
import { AmazonPayError } from '../amazon-pay/types.js';
import { snsStringToSign, type SnsMessage } from '../sns.js';
import { readText } from '../body.js';
import { HttpError, fromAmazonPayError } from './errors.js';
import type { OrderStore } from './store.js';
import type { StatusTracker } from './tracker.js';

/** SNS messages are at most 256 KiB. */
const IPN_BODY_LIMIT = 256 * 1024;
const CERT_SIZE_LIMIT = 16 * 1024;
const FETCH_TIMEOUT_MS = 5_000;
const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com$/;
const SIGNATURE_HASHES: Record<string, string> = { '1': 'sha1', '2': 'sha256' };
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

export interface IpnOptions {
  store: OrderStore;
  tracker: StatusTracker;
  /** Origins besides SNS's own hosts that may serve signing certificates (the sandbox's). */
  trustedOrigins: () => readonly string[];
  fetch: typeof fetch;
}

/** Whether `url` is somewhere SNS certificates and subscription links may come from. */
function isTrustedUrl(url: string, trustedOrigins: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:' && parsed.port === '' && SNS_HOST.test(parsed.hostname)) return true;
  return trustedOrigins.includes(parsed.origin);
}

function ignored(reason: string) {
  return new HttpError(400, 'INVALID_REQUEST', `The notification was ignored: ${reason}`);
}

function parseEnvelope(text: string): SnsMessage {
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    throw ignored('the body is not JSON.');
  }
  const fields = envelope as Record<string, unknown>;
  const missing = REQUIRED_FIELDS.filter((name) => typeof fields?.[name] !== 'string');
  if (missing.length > 0) throw ignored(`it lacks ${missing.join(', ')}.`);
  return envelope as SnsMessage;
}

/** The order a DQR payment notification is about: Amazon does not document one field name. */
function orderIdOf(message: string): string | undefined {
  try {
    const payload = JSON.parse(message) as Record<string, unknown>;
    const id = payload.merchantOrderId ?? payload.orderId ?? payload.chargeId;
    return checkOrderId(id) === undefined ? (id as string) : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the `POST {base}/ipn` handler. */
export function createIpnHandler(options: IpnOptions): (request: Request) => Promise<Response> {
  const keys = new Map<string, Promise<KeyObject>>();

  async function get(url: string, limit: number) {
    const response = await options.fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
    const text = await readText(response, limit);
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}.`);
    return text;
  }

  function signingKey(url: string) {
    let key = keys.get(url);
    if (!key) {
      key = get(url, CERT_SIZE_LIMIT).then((pem) => createPublicKey(pem));
      key.catch(() => keys.delete(url));
      keys.set(url, key);
    }
    return key;
  }

  async function verifyEnvelope(envelope: SnsMessage) {
    const hash = SIGNATURE_HASHES[envelope.SignatureVersion];
    if (!hash) throw ignored(`SignatureVersion ${envelope.SignatureVersion} is not supported.`);
    if (!isTrustedUrl(envelope.SigningCertURL, options.trustedOrigins())) {
      throw ignored('its signing certificate is not from Amazon SNS.');
    }
    const key = await signingKey(envelope.SigningCertURL).catch(() => {
      throw new HttpError(503, 'UPSTREAM_UNAVAILABLE', 'The SNS signing certificate could not be fetched.');
    });
    const data = Buffer.from(snsStringToSign(envelope), 'utf8');
    if (!verify(hash, data, key, Buffer.from(envelope.Signature, 'base64')))
      throw ignored('its signature does not verify.');
  }

  async function confirmSubscription(envelope: SnsMessage) {
    const url = envelope.SubscribeURL;
    if (!url || !isTrustedUrl(url, options.trustedOrigins())) throw ignored('its SubscribeURL is not from Amazon SNS.');
    await get(url, IPN_BODY_LIMIT).catch(() => {
      throw new HttpError(503, 'UPSTREAM_UNAVAILABLE', 'The SNS subscription could not be confirmed.');
    });
  }

  async function wake(envelope: SnsMessage): Promise<string> {
    const orderId = orderIdOf(envelope.Message);
    if (!orderId || !(await options.store.get(orderId))) return 'ignored';
    await options.tracker.recheck(orderId).catch((error: unknown) => {
      throw error instanceof AmazonPayError ? fromAmazonPayError(error) : error;
    });
    return 'accepted';
  }

  return async (request) => {
    const envelope = parseEnvelope(await readText(request, IPN_BODY_LIMIT));
    await verifyEnvelope(envelope);
    let result = 'accepted';
    if (envelope.Type === 'SubscriptionConfirmation') await confirmSubscription(envelope);
    else if (envelope.Type === 'Notification') result = await wake(envelope);
    return Response.json({ result }, { headers: { 'cache-control': 'no-store' } });
  };
}
