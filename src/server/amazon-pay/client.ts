/**
 * The signed Amazon Pay India DQR client: Generate QR, Get status, Cancel and Refund. Every call
 * is signed (AWS4-HMAC-SHA384), bounded by a timeout, and its answer is trusted only once its
 * signature has been verified.
 */
import { signRequest, verifyResponseSignature, type RequestSigner } from '../signing.js';
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
  /** The Generate-QR expiry field's name: the seed's parameter table and its sample disagree. */
  expiryField?: string;
  timeoutMs?: number;
  /** Extra attempts for calls that are safe to repeat (Get status, Cancel). */
  retries?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

const CANCEL_OUTCOMES = new Set(['Approved', 'RefundApplicable', 'RefundApplicableButNotRequested']);
const REFUND_STATUSES = new Set(['Approved', 'Pending', 'Declined']);

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

/** Creates a client for one merchant. */
export function createAmazonPayClient(config: AmazonPayClientConfig): AmazonPayClient {
  const {
    merchantId,
    storeIdType = 'MERCHANT_STORE_ID',
    expiryField = 'expiryTimestamp',
    timeoutMs = 10_000,
    retries = 2,
    now = Date.now,
  } = config;
  const doFetch = config.fetch ?? fetch;
  const baseUrl = config.baseUrl.replace(/\/+$/, '');

  /** One signed call; resolves with the verified JSON body of a 2xx answer. */
  async function call(
    method: 'GET' | 'POST',
    path: string,
    { query, body }: { query?: Record<string, string>; body?: Record<string, unknown> },
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> {
    const url = new URL(`${baseUrl}${path}`);
    for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, value);
    const bodyText = body === undefined ? undefined : JSON.stringify(body);
    const headers = signRequest({ method, url: url.href, body: bodyText, date: new Date(now()) }, config);
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;

    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, {
        method,
        headers: {
          ...headers,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: bodyText,
        signal: combined,
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) {
        throw new AmazonPayError(
          'timeout',
          'Timeout',
          `Amazon Pay did not answer ${method} ${path} within ${timeoutMs} ms.`,
        );
      }
      throw new AmazonPayError(
        'network',
        'NetworkError',
        `Amazon Pay could not be reached: ${(error as Error).message}.`,
      );
    }

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
    const { secretKey, region, service } = config;
    verifyResponseSignature({
      method,
      url: url.href,
      headers: response.headers,
      bodyText: text,
      secretKey,
      region,
      service,
    });
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

  /** Repeats a call that cannot create anything twice, on answers worth waiting for. */
  async function withRetries<T>(attempt: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let tries = 0; ; tries += 1) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof AmazonPayError) || !error.retryable || tries >= retries || signal?.aborted) throw error;
        await pause(100 * 2 ** tries * (0.5 + Math.random()), signal);
      }
    }
  }

  const malformed = (what: string) =>
    new AmazonPayError('malformed', 'MalformedResponse', `Amazon Pay's answer ${what}.`);

  return {
    async generateQr(input: GenerateQrInput, signal?: AbortSignal): Promise<GenerateQrResult> {
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
      const answer = await call('POST', '/v2/pay/token', { body }, signal);
      const payload = (answer.qrPayload ?? {}) as Record<string, unknown>;
      const qrString = optionalString(payload.qrString);
      const qrImage = optionalString(payload.qrImage);
      if (typeof answer.tokenId !== 'string') throw malformed('to Generate QR has no tokenId');
      if (qrString === undefined && qrImage === undefined) throw malformed('to Generate QR has no QR payload');
      if (qrString !== undefined && !qrString.startsWith('upi://pay?')) {
        throw malformed('to Generate QR has a qrString that is not a upi://pay URI');
      }
      return { tokenId: answer.tokenId, qrString, qrImage };
    },

    getStatus(orderId: string, signal?: AbortSignal): Promise<StatusResult> {
      return withRetries(async () => {
        const query = { merchantId, merchantOrderId: orderId };
        const answer = await call('GET', '/v2/pay/token', { query }, signal);
        if (typeof answer.status !== 'string') throw malformed('to Get status has no status');
        if (answer.merchantOrderId !== undefined && answer.merchantOrderId !== orderId) {
          throw malformed(`to Get status is about order ${String(answer.merchantOrderId)}, not ${orderId}`);
        }
        return {
          merchantOrderId: orderId,
          status: answer.status,
          amount: optionalString(answer.amount),
          amazonChargeId: optionalString(answer.amazonChargeId),
        };
      }, signal);
    },

    cancel(input: CancelInput, signal?: AbortSignal): Promise<CancelQrResult> {
      return withRetries(async () => {
        const body = {
          cancelIntent: input.refund ? ['CANCEL_TOKEN', 'REFUND'] : ['CANCEL_TOKEN'],
          cancellationReason: input.reason,
          chargeId: input.orderId,
          chargeIdType: 'MerchantTxnId',
          merchantId,
          noteToCustomer: input.noteToCustomer,
        };
        const answer = await call('POST', '/v2/pay/cancel', { body }, signal);
        if (typeof answer.status !== 'string' || !CANCEL_OUTCOMES.has(answer.status)) {
          throw malformed(`to Cancel has an unknown outcome ${JSON.stringify(answer.status)}`);
        }
        return {
          status: answer.status as CancelQrResult['status'],
          amount: optionalString(answer.amount),
          amazonChargeId: optionalString(answer.amazonChargeId),
        };
      }, signal);
    },

    async refund(input: RefundInput, signal?: AbortSignal): Promise<RefundResult> {
      const body = {
        merchantId,
        amount: input.amount,
        currencyCode: 'INR',
        refundId: input.refundId,
        chargeIdType: input.chargeIdType,
        chargeId: input.chargeId,
        noteToCustomer: input.noteToCustomer,
        softDescriptor: input.softDescriptor,
      };
      const answer = await call('POST', '/v1/payments/refund', { body }, signal);
      const status = optionalString(answer.status);
      if (status === undefined || !REFUND_STATUSES.has(status)) {
        throw malformed(`to Refund has an unknown status ${JSON.stringify(status)}`);
      }
      return {
        refundId: input.refundId,
        status: status as RefundResult['status'],
        amount: optionalString(answer.amount),
        amazonRefundId: optionalString(answer.amazonRefundId),
      };
    },
  };
}
