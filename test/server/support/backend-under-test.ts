import { generateKeyPairSync, sign } from 'node:crypto';
import type { ErrorBody, OrderView } from '../../../src/contract/types.js';
import { createBackend, type BackendOptions } from '../../../src/server/backend/index.js';
import { createLogger } from '../../../src/server/log.js';
import { snsStringToSign, type SnsMessage } from '../../../src/server/sns.js';
import { createFakeAmazonPay } from './fake-amazon-pay.js';
import { assertMatchesOpenApi, isDocumented } from './openapi.js';

/** Any contract answer's body, loosely typed for assertions (its shape is checked against OpenAPI). */
type AnswerBody = Partial<OrderView> & Partial<ErrorBody> & { fields: Record<string, string>; result?: string };

/** The origin whose SNS certificates the backend under test trusts, like the sandbox's. */
export const TRUSTED_ORIGIN = 'http://sns.test';
/** The SNS topic the backend under test takes notifications from. */
export const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:amazon-pay';
const BASE = 'http://shop.test/api/dqr';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const certificate = publicKey.export({ type: 'spki', format: 'pem' }) as string;

/**
 * `createBackend` over a scripted Amazon Pay, with a clock the test moves, an SNS signer whose
 * certificate the backend fetches from `TRUSTED_ORIGIN`, and `call()` that checks every answer
 * against docs/openapi.yaml.
 */
export function backendUnderTest(options: Partial<BackendOptions> = {}) {
  let clock = Date.parse('2025-01-15T10:30:00Z');
  const client = createFakeAmazonPay();
  const fetched: string[] = [];
  const errors: unknown[] = [];
  const logged: Record<string, unknown>[] = [];
  const backend = createBackend({
    logger: createLogger({ destination: { write: (line: string) => logged.push(JSON.parse(line)) } }),
    client,
    statusScheduleSeconds: [0.02],
    statusJitter: 0,
    mode: 'sandbox',
    snsTopicArns: [TOPIC_ARN],
    trustedIpnOrigins: () => [TRUSTED_ORIGIN],
    onError: (error) => errors.push(error),
    now: () => clock,
    fetch: async (input) => {
      fetched.push(String(input));
      return String(input).endsWith('.pem') ? new Response(certificate) : new Response('confirmed');
    },
    ...options,
  });

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const response = await backend.fetch(new Request(`${BASE}${path}`, init));
    const text = await response.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    const template = path.split('?')[0].replace(/^\/qr\/[^/]+/, '/qr/{orderId}');
    if (isDocumented(template, method)) assertMatchesOpenApi(template, method, response.status, json);
    return { status: response.status, headers: response.headers, body: json as AnswerBody };
  }

  /** A signed SNS envelope, as Amazon Pay's notifications arrive. */
  function snsEnvelope(fields: Partial<SnsMessage> & Pick<SnsMessage, 'Type' | 'Message'>, version = '2') {
    const envelope = {
      MessageId: `msg-${Math.random().toString(36).slice(2)}`,
      TopicArn: TOPIC_ARN,
      Timestamp: new Date(clock).toISOString(),
      SignatureVersion: version,
      SigningCertURL: `${TRUSTED_ORIGIN}/cert.pem`,
      ...fields,
    } as SnsMessage;
    envelope.Signature = sign(
      version === '1' ? 'sha1' : 'sha256',
      Buffer.from(snsStringToSign(envelope)),
      privateKey,
    ).toString('base64');
    return envelope;
  }

  function notify(message: object, overrides: Partial<SnsMessage> = {}) {
    const envelope = { ...snsEnvelope({ Type: 'Notification', Message: JSON.stringify(message) }), ...overrides };
    return call('POST', '/ipn', JSON.stringify(envelope), { 'content-type': 'text/plain; charset=UTF-8' });
  }

  return {
    backend,
    client,
    call,
    notify,
    snsEnvelope,
    fetched,
    errors,
    /** The backend's log lines, parsed. */
    logged,
    advance: (ms: number) => (clock += ms),
  };
}

/** A valid `POST /qr` body. */
export function order(orderId: string, terms: Record<string, unknown> = {}) {
  return { orderId, amount: '249.00', currency: 'INR', expiresIn: 120, ...terms };
}
