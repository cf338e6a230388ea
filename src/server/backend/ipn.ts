/**
 * The IPN endpoint: AWS SNS envelopes from Amazon Pay. A notification is only a wake-up call: once
 * its SNS signature verifies, the order it names gets a signed Get-status call, and that answer
 * decides. Anything forged, malformed or about an unknown order changes nothing.
 */
import { checkOrderId } from '../../contract/rules.js';
import { AmazonPayError } from '../amazon-pay/types.js';
import type { Logger } from '../log.js';
import { DuplicateKeyError, parseSignedJson } from '../signing-json.js';
import type { SnsMessage } from '../sns.js';
import { readText } from '../body.js';
import { HttpError, fromAmazonPayError } from './errors.js';
import { createShapeLog } from './notification-shapes.js';
import { createSnsVerifier, ignored } from './sns-verify.js';
import type { OrderStore } from './store.js';
import type { StatusTracker } from './tracker.js';

/** SNS messages are at most 256 KiB. */
const IPN_BODY_LIMIT = 256 * 1024;
const FETCH_TIMEOUT_MS = 5_000;

export interface IpnOptions {
  store: OrderStore;
  tracker: StatusTracker;
  /** The SNS topics Amazon Pay's notifications come from; envelopes from any other are ignored. */
  topicArns: () => readonly string[];
  /** Origins besides SNS's own hosts that may serve signing certificates (the sandbox's). */
  trustedOrigins: () => readonly string[];
  fetch: typeof fetch;
  now: () => number;
  /** Where the key set of each notification shape not seen before is logged. */
  logger: Logger;
}

/** The order a DQR payment notification is about: Amazon does not document one field name. */
function orderIdOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { merchantOrderId, orderId, chargeId } = payload as Record<string, unknown>;
  const id = merchantOrderId ?? orderId ?? chargeId;
  return checkOrderId(id) === undefined ? (id as string) : undefined;
}

/**
 * The notification's payload: its JSON, or its text when it is not JSON. A key given twice is
 * refused: which of the two would name the order is anyone's guess.
 */
function payloadOf(message: string): unknown {
  try {
    return parseSignedJson(message);
  } catch (error) {
    if (error instanceof DuplicateKeyError) throw ignored('its message has a key twice.');
    return message;
  }
}

/** Creates the `POST {base}/ipn` handler. */
export function createIpnHandler(options: IpnOptions): (request: Request) => Promise<Response> {
  const verifier = createSnsVerifier(options);
  const noteShape = createShapeLog(options.logger);

  async function confirmSubscription(envelope: SnsMessage) {
    const url = envelope.SubscribeURL;
    if (!verifier.isSubscribeUrl(url, envelope)) throw ignored('its SubscribeURL is not from Amazon SNS.');
    try {
      const response = await options.fetch(url!, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
      await readText(response, IPN_BODY_LIMIT);
      if (!response.ok) throw new Error(`GET ${url} answered ${response.status}.`);
    } catch {
      throw new HttpError(503, 'UPSTREAM_UNAVAILABLE', 'The SNS subscription could not be confirmed.');
    }
    return 'accepted';
  }

  async function wake(envelope: SnsMessage): Promise<string> {
    const payload = payloadOf(envelope.Message);
    noteShape(payload);
    const orderId = orderIdOf(payload);
    if (!orderId || !(await options.store.get(orderId))) return 'ignored';
    await options.tracker.recheck(orderId).catch((error: unknown) => {
      throw error instanceof AmazonPayError ? fromAmazonPayError(error) : error;
    });
    return 'accepted';
  }

  return async (request) => {
    const envelope = await verifier.verify(await readText(request, IPN_BODY_LIMIT));
    const result = await verifier.once(envelope, async () => {
      if (envelope.Type === 'SubscriptionConfirmation') return confirmSubscription(envelope);
      if (envelope.Type === 'Notification') return wake(envelope);
      return 'accepted';
    });
    return Response.json({ result }, { headers: { 'cache-control': 'no-store' } });
  };
}
