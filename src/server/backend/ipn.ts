/**
 * The IPN endpoint: AWS SNS envelopes from Amazon Pay. A notification is only a wake-up call: once
 * its SNS signature verifies, the order it names gets a signed Get-status call, and that answer
 * decides. Anything forged or malformed changes nothing. A notification is answered 200 only once
 * its news is safe: checked, or written down as a check the backend still owes; until then it
 * gets a 5xx, so SNS delivers it again.
 */
import { checkOrderId } from '../../contract/rules.js';
import { AmazonPayError, type AmazonPayClient } from '../amazon-pay/types.js';
import type { Logger } from '../log.js';
import { DuplicateKeyError, parseSignedJson } from '../signing-json.js';
import type { SnsMessage } from '../sns.js';
import { readText } from '../body.js';
import type { NotificationResult } from '../metrics.js';
import { HttpError, fromAmazonPayError, toHttpError } from './errors.js';
import { newJob, withJob } from './jobs.js';
import { recordUnknownPayment } from './late-payments.js';
import { createShapeLog } from './notification-shapes.js';
import { createSnsVerifier, ignored, RejectedNotification } from './sns-verify.js';
import type { OrderStore } from './store.js';
import type { StatusTracker } from './tracker.js';

/** SNS messages are at most 256 KiB. */
const IPN_BODY_LIMIT = 256 * 1024;
const FETCH_TIMEOUT_MS = 5_000;

export interface IpnOptions {
  store: OrderStore;
  tracker: StatusTracker;
  client: AmazonPayClient;
  /** When the check a notification asked for fails, how long until the job makes it. */
  retryMs: number;
  /** The SNS topics Amazon Pay's notifications come from; envelopes from any other are ignored. */
  topicArns: () => readonly string[];
  /** Origins besides SNS's own hosts that may serve signing certificates (the sandbox's). */
  trustedOrigins: () => readonly string[];
  fetch: typeof fetch;
  now: () => number;
  /** Where the key set of each notification shape not seen before, and payments on unknown orders, are logged. */
  logger: Logger;
  /** Told how each notification ended (and why a rejected or failed one did), for the metrics. */
  onResult?: (result: NotificationResult, reason?: string) => void;
}

/** The order a DQR payment notification is about: Amazon does not document one field name. */
function orderIdOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { merchantOrderId, orderId, chargeId } = payload as Record<string, unknown>;
  const id = merchantOrderId ?? orderId ?? chargeId;
  return checkOrderId(id) === undefined ? (id as string) : undefined;
}

/** The amount a notification names, for recording a charge on an order this backend does not know. */
function amountOf(payload: unknown): string | undefined {
  const { amount } = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  return typeof amount === 'string' || typeof amount === 'number' ? String(amount) : undefined;
}

const upstream = (error: unknown) => (error instanceof AmazonPayError ? fromAmazonPayError(error) : error);

/**
 * The notification's payload: its JSON, or its text when it is not JSON. A key given twice is
 * refused: which of the two would name the order is anyone's guess.
 */
function payloadOf(message: string): unknown {
  try {
    return parseSignedJson(message);
  } catch (error) {
    if (error instanceof DuplicateKeyError) throw ignored('duplicate_key', 'its message has a key twice.');
    return message;
  }
}

/** Creates the `POST {base}/ipn` handler. */
export function createIpnHandler(options: IpnOptions): (request: Request) => Promise<Response> {
  const verifier = createSnsVerifier(options);
  const noteShape = createShapeLog(options.logger);

  async function confirmSubscription(envelope: SnsMessage): Promise<NotificationResult> {
    const url = envelope.SubscribeURL;
    if (!verifier.isSubscribeUrl(url, envelope))
      throw ignored('subscribe_url', 'its SubscribeURL is not from Amazon SNS.');
    try {
      const response = await options.fetch(url!, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
      await readText(response, IPN_BODY_LIMIT);
      if (!response.ok) throw new Error(`GET ${url} answered ${response.status}.`);
    } catch {
      throw new HttpError(503, 'UPSTREAM_UNAVAILABLE', 'The SNS subscription could not be confirmed.');
    }
    return 'accepted';
  }

  async function wake(envelope: SnsMessage): Promise<NotificationResult> {
    const payload = payloadOf(envelope.Message);
    noteShape(payload);
    const orderId = orderIdOf(payload);
    if (!orderId) return 'ignored';
    // A store that cannot answer rejects here: a 503, and SNS delivers the notification again.
    if (!(await options.store.get(orderId))) return unknownOrder(orderId, amountOf(payload));
    try {
      await options.tracker.recheck(orderId);
    } catch (error) {
      // The check becomes a job before the 5xx: SNS stops after three retries, the job does not.
      const retryAt = options.now() + options.retryMs;
      await options.store.update(orderId, (current) =>
        current.jobs?.check ? undefined : { ...current, jobs: withJob(current.jobs, 'check', newJob(retryAt)) },
      );
      throw upstream(error);
    }
    return 'accepted';
  }

  /**
   * A payment on an order this backend has no record of is still a customer's money: Amazon is
   * asked, and a charge is recorded and refunded like a late payment. (A replayed notification
   * cannot refund an order paid and forgotten: envelopes older than the verifier allows, far less
   * than the stores keep an order, are refused before this.)
   */
  async function unknownOrder(orderId: string, amount: string | undefined) {
    const status = await options.client.getStatus(orderId).catch((error: unknown) => {
      throw upstream(error);
    });
    const record = await recordUnknownPayment(options.store, status, options.now(), amount);
    if (!record) return 'ignored';
    options.logger.warn(
      { orderId, amazonChargeId: status.amazonChargeId },
      `payment on order ${orderId}, which this backend had no record of: recorded, and refunded as a late payment`,
    );
    return 'accepted';
  }

  async function handle(request: Request): Promise<NotificationResult> {
    const envelope = await verifier.verify(await readText(request, IPN_BODY_LIMIT));
    return verifier.once(envelope, async (): Promise<NotificationResult> => {
      if (envelope.Type === 'SubscriptionConfirmation') return confirmSubscription(envelope);
      if (envelope.Type === 'Notification') return wake(envelope);
      return 'accepted';
    });
  }

  return async (request) => {
    let result: NotificationResult;
    try {
      result = await handle(request);
    } catch (thrown) {
      const error = toHttpError(thrown);
      const reason = thrown instanceof RejectedNotification ? thrown.reason : error.code.toLowerCase();
      options.onResult?.(error.status < 500 ? 'rejected' : 'failed', reason);
      throw thrown;
    }
    options.onResult?.(result);
    return Response.json({ result }, { headers: { 'cache-control': 'no-store' } });
  };
}
