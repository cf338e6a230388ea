/**
 * The signed Amazon Pay India DQR client: Generate QR, Get status, Cancel and Refund. Every call
 * is signed (AWS4-HMAC-SHA384), bounded by a timeout, and its answer is trusted only once its
 * signature has been verified. Where Amazon's documents disagree (compatibility.ts), the client
 * follows its settings, and what it learns from Amazon's answers it keeps for its lifetime.
 */
import { readUpTo } from '../body.js';
import { createLogger, type Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import {
  RESPONSE_VARIANTS,
  signRequest,
  verifyResponseSignature,
  type RequestSigner,
  type ResponseVariant,
} from '../signing.js';
import { DEFAULT_NOTES, otherExpiryField, wantsOtherExpiryField, type ExpiryField } from './compatibility.js';
import { AnswerTooLargeError, MAX_ANSWER_BYTES, nodeTransport, type Transport } from './transport.js';
import {
  AmazonPayError,
  type AmazonPayClient,
  type CancelInput,
  type CancelQrResult,
  type GenerateQrInput,
  type GenerateQrResult,
  type RefundInput,
  type RefundResult,
  type StatusResult,
} from './types.js';

/** One merchant's credentials and the client's limits; the defaults follow the facts page. */
export interface AmazonPayClientConfig extends RequestSigner {
  /** `https://amazonpay.amazon.in`, or the sandbox's URL (`http://127.0.0.1:8787/sandbox`). */
  baseUrl: string;
  storeId: string;
  storeIdType?: string;
  /**
   * Generate QR's expiry field, default `expiryTimeStamp`. When Amazon answers a 400 naming the
   * other spelling, that call is made once more with it, and the client keeps to it from then on.
   */
  expiryField?: ExpiryField;
  /** How a Get-status answer's signature may be built; default every variant, tried in this order. */
  getVerification?: readonly ResponseVariant[];
  /** Cancel's `noteToCustomer` when the caller gives none. */
  cancelNote?: string;
  /** Refund's `noteToCustomer` when the caller gives none. */
  refundNote?: string;
  /** Refund's `softDescriptor` when the caller gives none. */
  softDescriptor?: string;
  /**
   * Where the client writes one line per call (which call, Amazon's HTTP status, the time it took,
   * Amazon's request id, the retry) and says, once, what it learnt of Amazon's answers. Default
   * `createLogger()`.
   */
  logger?: Logger;
  /** Where each call's latency is recorded, by call and status (the backend's `metrics`). */
  metrics?: Metrics;
  /**
   * How long one call may take, answer read included: a whole number of milliseconds from 1 to
   * 2147483647 (what a timer can wait). Default 10 000.
   */
  timeoutMs?: number;
  /** Extra attempts for calls that are safe to repeat (Get status, Cancel). */
  retries?: number;
  /** What sends the calls: default `node:https` through a kept-alive agent (`nodeTransport`). */
  fetch?: Transport;
  now?: () => number;
}

/** What a client has learnt of Amazon's disputed behaviour so far. */
export interface ClientFindings {
  /** The expiry spelling Generate QR sends now: the configured one, or the one Amazon asked for. */
  expiryField: ExpiryField;
  /** The variant the last verified Get-status answer matched; undefined before the first. */
  getVerification?: ResponseVariant;
}

/** The client `createAmazonPayClient` returns: the four calls, and what it has learnt. */
export interface SignedAmazonPayClient extends AmazonPayClient {
  findings(): ClientFindings;
}

/** In words, for the log and the go-live check: `method line POST, empty line 3`. */
export function describeVariant(variant: ResponseVariant): string {
  const [method, query] = variant.split('+');
  return `method line ${method}, ${query ? 'the query in line 3' : 'empty line 3'}`;
}

/** The four calls, as the log and the metrics name them. */
type CallName = 'generateQr' | 'getStatus' | 'cancel' | 'refund';

/** One call: what is sent, and how its verified answer is read. */
interface CallSpec<T> {
  name: CallName;
  /** The order it is about, for its log line. */
  orderId: string;
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  /** Reads the verified answer; an `AmazonPayError` it throws is the call's outcome. */
  read: (answer: Record<string, unknown>) => T;
}

/** Amazon's HTTP status and request id, once an answer came. */
interface Answered {
  status: number;
  requestId?: string;
}

/** A call's status for the metrics and the log: Amazon's HTTP status, or what went wrong without one. */
function statusOf(error: unknown, answered: Answered | undefined, aborted: boolean): string {
  if (error instanceof AmazonPayError && (error.kind === 'signature' || error.kind === 'malformed')) return error.kind;
  if (answered) return String(answered.status);
  if (error instanceof AmazonPayError) return error.kind;
  return aborted ? 'aborted' : 'error';
}

const CANCEL_OUTCOMES = new Set(['Approved', 'RefundApplicable', 'RefundApplicableButNotRequested']);
const REFUND_STATUSES = new Set(['Approved', 'Pending', 'Declined']);

/** The longest a timer waits; `setTimeout` fires at once past it. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** `yyyy-MM-dd HH:mm:ss` in UTC, as Generate QR expects its expiry. */
function expiryTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Resolves after `ms`, or rejects with the caller's reason as soon as `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', abort, { once: true });
  });
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** An amount as rupees text: as sent when a string, two decimals when Amazon sends a JSON number. */
function amountText(value: unknown): string | undefined {
  return typeof value === 'number' ? value.toFixed(2) : optionalString(value);
}

/**
 * Creates a client for one merchant. What it learns (the expiry spelling Amazon wants, the variant
 * Get-status answers are signed in) lasts as long as the client: each process, and each client in
 * it, learns for itself, at the cost of at most one refused Generate QR.
 */
export function createAmazonPayClient(config: AmazonPayClientConfig): SignedAmazonPayClient {
  const {
    merchantId,
    storeIdType = 'MERCHANT_STORE_ID',
    getVerification = RESPONSE_VARIANTS,
    cancelNote = DEFAULT_NOTES.cancelNote,
    refundNote = DEFAULT_NOTES.refundNote,
    softDescriptor = DEFAULT_NOTES.softDescriptor,
    timeoutMs = 10_000,
    retries = 2,
    now = Date.now,
  } = config;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new RangeError(
      `timeoutMs must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, not ${timeoutMs}.`,
    );
  }
  const doFetch = config.fetch ?? nodeTransport;
  const baseUrl = config.baseUrl.replace(/\/+$/, '');
  const logger = config.logger ?? createLogger();
  const findings: ClientFindings = { expiryField: config.expiryField ?? 'expiryTimeStamp' };

  /**
   * Verifies an answer. A Get-status answer may match any allowed variant, the one that matched
   * last tried first; the client remembers it and says so when it is new.
   */
  function verify(method: 'GET' | 'POST', url: URL, headers: Headers, bodyText: string) {
    const { secretKey, region, service } = config;
    const known = findings.getVerification;
    const variants =
      method === 'POST' ? undefined : known ? [known, ...getVerification.filter((v) => v !== known)] : getVerification;
    const variant = verifyResponseSignature({
      method,
      url: url.href,
      headers,
      bodyText,
      secretKey,
      region,
      service,
      variants,
    });
    if (method === 'GET' && variant !== known) {
      findings.getVerification = variant;
      logger.info(
        { getVerification: variant },
        `Amazon Pay's Get-status answers verify with ${describeVariant(variant)} (AMAZON_PAY_GET_VERIFY=${variant} accepts that one only)`,
      );
    }
  }

  /** Sends `spec` signed; the answer and its text, or a timeout or network `AmazonPayError` with its cause. */
  async function send<T>(spec: CallSpec<T>, signal?: AbortSignal) {
    const { method, path } = spec;
    const url = new URL(`${baseUrl}${path}`);
    for (const [name, value] of Object.entries(spec.query ?? {})) url.searchParams.set(name, value);
    const bodyText = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const headers = signRequest({ method, url: url.href, body: bodyText, date: new Date(now()) }, config);
    if (signal?.aborted) throw signal.reason;
    // One signal for the call, its timer cleared once the answer is read: `AbortSignal.timeout`
    // would hold a timer and a signal for the whole timeout after every call.
    const call = new AbortController();
    const timer = setTimeout(
      () => call.abort(new DOMException(`No answer within ${timeoutMs} ms.`, 'TimeoutError')),
      timeoutMs,
    );
    const follow = () => call.abort(signal!.reason);
    signal?.addEventListener('abort', follow, { once: true });
    try {
      const response = await doFetch(url, {
        method,
        headers: {
          ...headers,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: bodyText,
        signal: call.signal,
      });
      const text = await readUpTo(response, MAX_ANSWER_BYTES);
      if (text === undefined) throw new AnswerTooLargeError();
      return { url, response, text };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      // Not the caller's abort: the call's own timer.
      if (call.signal.aborted) {
        throw new AmazonPayError(
          'timeout',
          'Timeout',
          `Amazon Pay did not answer ${method} ${path} within ${timeoutMs} ms.`,
          0,
          { cause: error },
        );
      }
      if (error instanceof AnswerTooLargeError)
        throw malformed(`to ${method} ${path} is over ${MAX_ANSWER_BYTES} bytes`);
      const { message, cause } = error as Error & { cause?: Error };
      throw new AmazonPayError(
        'network',
        'NetworkError',
        `Amazon Pay could not be reached: ${message}${cause?.message ? ` (${cause.message})` : ''}.`,
        0,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', follow);
    }
  }

  /** The verified JSON object of a 2xx answer; an `AmazonPayError` saying why not otherwise. */
  function verified(method: 'GET' | 'POST', path: string, url: URL, response: Response, text: string) {
    if (!response.ok) {
      let parsed: { code?: unknown; message?: unknown } = {};
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        // An error page that is not JSON still has a status to report.
      }
      const code = typeof parsed.code === 'string' ? parsed.code : `HTTP${response.status}`;
      const message = typeof parsed.message === 'string' ? parsed.message.trim() : response.statusText;
      throw new AmazonPayError('response', code, `Amazon Pay refused ${method} ${path}: ${message}`, response.status);
    }
    verify(method, url, response.headers, text);
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new AmazonPayError(
        'malformed',
        'MalformedResponse',
        `Amazon Pay answered ${path} with something other than an object.`,
      );
    }
    return parsed as Record<string, unknown>;
  }

  /** The call's log line and its latency in the metrics. */
  function observe<T>(spec: CallSpec<T>, retry: number, started: number, answered?: Answered, error?: unknown) {
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const status = statusOf(error, answered, error !== undefined && !(error instanceof AmazonPayError));
    config.metrics?.amazonCall(spec.name, status, durationMs / 1000);
    logger.info(
      {
        orderId: spec.orderId,
        durationMs,
        amazonPay: { call: spec.name, status, requestId: answered?.requestId, retry },
      },
      `Amazon Pay ${spec.name} ${status}`,
    );
  }

  /**
   * One signed call, the `retry`-th time it is made; resolves with what `spec.read` makes of the
   * verified answer. A failure keeps Amazon's HTTP status and request id when an answer came.
   */
  async function call<T>(spec: CallSpec<T>, signal: AbortSignal | undefined, retry = 0): Promise<T> {
    const started = performance.now();
    let answered: Answered | undefined;
    try {
      const { url, response, text } = await send(spec, signal);
      answered = { status: response.status, requestId: response.headers.get('x-amz-request-id') ?? undefined };
      const result = spec.read(verified(spec.method, spec.path, url, response, text));
      observe(spec, retry, started, answered);
      return result;
    } catch (thrown) {
      const error =
        thrown instanceof AmazonPayError && answered
          ? new AmazonPayError(thrown.kind, thrown.code, thrown.message, thrown.status || answered.status, {
              requestId: answered.requestId,
              cause: thrown.cause,
            })
          : thrown;
      observe(spec, retry, started, answered, error);
      throw error;
    }
  }

  /** Repeats a call that cannot create anything twice, on answers worth waiting for. */
  async function withRetries<T>(spec: CallSpec<T>, signal?: AbortSignal): Promise<T> {
    for (let tries = 0; ; tries += 1) {
      try {
        return await call(spec, signal, tries);
      } catch (error) {
        if (!(error instanceof AmazonPayError) || !error.retryable || tries >= retries || signal?.aborted) throw error;
        await pause(100 * 2 ** tries * (0.5 + Math.random()), signal);
      }
    }
  }

  const malformed = (what: string) =>
    new AmazonPayError('malformed', 'MalformedResponse', `Amazon Pay's answer ${what}.`);

  /** Generate QR's answer as the QR; a `malformed` error when it is not one. */
  function readQr(answer: Record<string, unknown>): GenerateQrResult {
    const payload = (answer.qrPayload ?? {}) as Record<string, unknown>;
    const qrString = optionalString(payload.qrString);
    const qrImage = optionalString(payload.qrImage);
    if (typeof answer.tokenId !== 'string') throw malformed('to Generate QR has no tokenId');
    if (qrString === undefined && qrImage === undefined) throw malformed('to Generate QR has no QR payload');
    if (qrString !== undefined && !qrString.startsWith('upi://pay?')) {
      throw malformed('to Generate QR has a qrString that is not a upi://pay URI');
    }
    return { tokenId: answer.tokenId, qrString, qrImage };
  }

  /**
   * Generate QR with the expiry spelling in use; once more with the other spelling when Amazon's
   * 400 names it (no QR was made), which the client then keeps to and says so once.
   */
  async function generate(input: GenerateQrInput, signal?: AbortSignal) {
    const attempt = (expiryField: ExpiryField, retry: number) => {
      const body = {
        merchantId,
        storeIdType,
        storeId: input.storeId ?? config.storeId,
        terminalId: input.terminalId,
        currency: 'INR',
        clientId: '04',
        distributionType: input.distributionTypes,
        [expiryField]: expiryTimestamp(input.expiresAt),
        amount: input.amount,
        orderId: input.orderId,
        qrMedium: '03',
      };
      const spec = {
        name: 'generateQr',
        orderId: input.orderId,
        method: 'POST',
        path: '/v2/pay/token',
        body,
        read: readQr,
      } as const;
      return call(spec, signal, retry);
    };
    const sent = findings.expiryField;
    try {
      return await attempt(sent, 0);
    } catch (error) {
      if (!wantsOtherExpiryField(error, sent)) throw error;
      const other = otherExpiryField(sent);
      const qr = await attempt(other, 1);
      if (findings.expiryField !== other) {
        findings.expiryField = other;
        logger.warn(
          { expiryField: other },
          `Amazon Pay refused Generate QR with ${sent} and accepted ${other}: this process sends ${other} from now on; set AMAZON_PAY_EXPIRY_FIELD=${other}`,
        );
      }
      return qr;
    }
  }

  return {
    findings: () => ({ ...findings }),

    generateQr: generate,

    getStatus(orderId: string, signal?: AbortSignal): Promise<StatusResult> {
      return withRetries(
        {
          name: 'getStatus',
          orderId,
          method: 'GET',
          path: '/v2/pay/token',
          query: { merchantId, merchantOrderId: orderId },
          read(answer) {
            if (typeof answer.status !== 'string') throw malformed('to Get status has no status');
            if (answer.merchantOrderId !== undefined && answer.merchantOrderId !== orderId) {
              throw malformed(`to Get status is about order ${String(answer.merchantOrderId)}, not ${orderId}`);
            }
            return {
              merchantOrderId: orderId,
              status: answer.status,
              amount: amountText(answer.amount),
              amazonChargeId: optionalString(answer.amazonChargeId),
            };
          },
        },
        signal,
      );
    },

    cancel(input: CancelInput, signal?: AbortSignal): Promise<CancelQrResult> {
      const body = {
        cancelIntent: input.refund ? ['CANCEL_TOKEN', 'REFUND'] : ['CANCEL_TOKEN'],
        cancellationReason: input.reason,
        chargeId: input.orderId,
        chargeIdType: 'MerchantTxnId',
        merchantId,
        noteToCustomer: input.noteToCustomer ?? cancelNote,
      };
      return withRetries(
        {
          name: 'cancel',
          orderId: input.orderId,
          method: 'POST',
          path: '/v2/pay/cancel',
          body,
          read(answer) {
            if (typeof answer.status !== 'string' || !CANCEL_OUTCOMES.has(answer.status)) {
              throw malformed(`to Cancel has an unknown outcome ${JSON.stringify(answer.status)}`);
            }
            return {
              status: answer.status as CancelQrResult['status'],
              amount: amountText(answer.amount),
              amazonChargeId: optionalString(answer.amazonChargeId),
            };
          },
        },
        signal,
      );
    },

    refund(input: RefundInput, signal?: AbortSignal): Promise<RefundResult> {
      const body = {
        merchantId,
        amount: input.amount,
        currencyCode: 'INR',
        refundId: input.refundId,
        chargeIdType: input.chargeIdType,
        chargeId: input.chargeId,
        noteToCustomer: input.noteToCustomer ?? refundNote,
        softDescriptor: input.softDescriptor ?? softDescriptor,
      };
      // Success is 200 on one Amazon page and 201 on another, amounts strings or numbers: both do.
      return call(
        {
          name: 'refund',
          orderId: input.orderId ?? input.chargeId,
          method: 'POST',
          path: '/v1/payments/refund',
          body,
          read(answer) {
            const status = optionalString(answer.status);
            if (status === undefined || !REFUND_STATUSES.has(status)) {
              throw malformed(`to Refund has an unknown status ${JSON.stringify(status)}`);
            }
            return {
              refundId: input.refundId,
              status: status as RefundResult['status'],
              amount: amountText(answer.amount),
              amazonRefundId: optionalString(answer.amazonRefundId),
            };
          },
        },
        signal,
      );
    },
  };
}
