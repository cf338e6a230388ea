/**
 * An Amazon Pay India DQR emulator as a Web fetch handler: the four signed endpoints with Amazon's
 * validation, error shapes, signatures and state; payment notifications over SNS; and control
 * endpoints with which a demo or a test plays the customer and injects faults. It never runs in
 * production: the backend mounts it only in sandbox mode.
 */
import QRCode from 'qrcode';
import { randomUUID } from 'node:crypto';
import { amzDate, signResponse } from '../signing.js';
import { parseSignedJson } from '../signing-json.js';
import { readText } from '../body.js';
import { forCaller, textResponse } from '../answer-text.js';
import { verifyRequest, type SandboxMerchant } from './auth.js';
import { AmazonApiError } from './errors.js';
import { checkFaults, Faults, type FaultScope, type FaultSettings } from './faults.js';
import { Ledger, type SandboxOrder } from './ledger.js';
import { Notifier } from './notifier.js';
import type { SandboxStrictness } from './strict.js';
import { parseCancel, parseGenerateQr, parseRefund } from './validate.js';

export type { SandboxOrder, SandboxRefund } from './ledger.js';
export { SANDBOX_APIS, type FaultSettings, type SandboxApi } from './faults.js';
export type { SandboxStrictness } from './strict.js';

/** A store Generate QR may name, with its terminals when the VPA is mapped to terminals. */
export interface SandboxStore {
  storeId: string;
  storeIdType: string;
  /** When given, a terminal id is required and must be one of these. */
  terminalIds?: string[];
}

/** How the sandbox is mounted, whom it serves and where it sends notifications. */
export interface SandboxOptions {
  /** Where the sandbox is mounted: `/sandbox`, so Generate QR is `POST /sandbox/v2/pay/token`. */
  basePath?: string;
  merchant: SandboxMerchant & { stores: SandboxStore[] };
  /** The payee the UPI string names. */
  payee?: { vpa: string; name: string };
  region?: string;
  service?: string;
  /** How the sandbox reads the points Amazon's documents disagree on. Default: every reading. */
  strict?: SandboxStrictness;
  /** Where payment notifications go: the backend's `/ipn`. */
  ipnUrl?: () => string | undefined;
  /** Notification attempts after the first and the wait between them (SNS: 3 and 20 s). */
  ipnRetries?: number;
  ipnRetryDelayMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
}

/** Amazon Pay API calls the sandbox has answered, by name. */
export type SandboxCalls = Record<'generateQr' | 'getStatus' | 'cancel' | 'refund', number>;

/** The emulator: its fetch handler and the programmatic controls the HTTP control endpoints mirror. */
export interface Sandbox {
  fetch(request: Request): Promise<Response>;
  /** The customer pays; a notification follows unless `notify` is false. */
  pay(orderId: string, options?: { notify?: boolean }): SandboxOrder;
  /** The customer's payment fails. */
  fail(orderId: string): SandboxOrder;
  order(orderId: string): SandboxOrder | undefined;
  orders(): SandboxOrder[];
  readonly faults: Faults;
  readonly calls: SandboxCalls;
  /** Sends the SNS subscription confirmation; resolves with whether the backend accepted it. */
  sendSubscriptionConfirmation(): Promise<boolean>;
  readonly subscriptionConfirmed: boolean;
  /** Resolves once every notification in flight is delivered or given up. */
  settled(): Promise<void>;
  close(): void;
}

const BODY_LIMIT = 64 * 1024;

/** An Amazon answer's body; `Created` for one Amazon sends with 201. */
type Answer = Record<string, unknown> | Created;

/** A body Amazon answers with 201 Created (Refund, on one of its pages). */
class Created {
  constructor(readonly body: Record<string, unknown>) {}
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return textResponse(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}

/** The UPI intent a customer's app opens, as Amazon Pay's QR strings spell it. */
function upiString(payee: { vpa: string; name: string }, amount: string, tokenId: string): string {
  const params = {
    pa: payee.vpa,
    pn: payee.name,
    am: amount,
    cu: 'INR',
    mc: '8351',
    tr: tokenId,
    tid: tokenId,
    amzn_mt: 'pro',
  };
  return `upi://pay?${Object.entries(params)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&')}`;
}

/**
 * Creates an Amazon Pay emulator for one merchant, so the demo and the tests exercise the same
 * signed wire as production. Mount it only in sandbox mode.
 */
export function createSandbox(options: SandboxOptions): Sandbox {
  const basePath = options.basePath ?? '/sandbox';
  const { merchant } = options;
  const payee = options.payee ?? { vpa: 'sandbox@apl', name: 'Sandbox Store' };
  const now = options.now ?? Date.now;
  const ledger = new Ledger(now);
  const faults = new Faults(now);
  const calls: SandboxCalls = { generateQr: 0, getStatus: 0, cancel: 0, refund: 0 };
  const closing = new AbortController();
  const notifier = new Notifier({
    ipnUrl: options.ipnUrl ?? (() => undefined),
    retries: options.ipnRetries ?? 3,
    retryDelayMs: options.ipnRetryDelayMs ?? 20_000,
    fetch: options.fetch ?? fetch,
    now,
  });
  let origin: string | undefined;
  let subscriptionConfirmed = false;
  const signing = { region: options.region, service: options.service };
  const strict = options.strict ?? {};

  /** The sandbox's own public URL, learnt from the requests it serves. */
  const selfUrl = (path: string) =>
    `${origin ?? new URL(options.ipnUrl?.() ?? 'http://localhost').origin}${basePath}${path}`;

  function notifyPaid(order: SandboxOrder) {
    if (faults.take('dropIpn', { orderId: order.orderId })) {
      order.notifications.dropped += 1;
      return;
    }
    order.notifications.sent += 1;
    void notifier.notify(
      {
        merchantId: merchant.merchantId,
        merchantOrderId: order.orderId,
        status: 'SUCCESS',
        amazonChargeId: order.charge?.amazonChargeId,
        amount: order.charge?.amount,
      },
      selfUrl('/sns/cert.pem'),
    );
  }

  function pay(orderId: string, { notify = true } = {}) {
    const order = ledger.pay(orderId);
    if (notify) notifyPaid(order);
    return order;
  }

  /** The order a call is about, for faults scoped to one order. */
  function orderIdOf(name: keyof SandboxCalls, body: Record<string, unknown>, query: URLSearchParams) {
    const id =
      name === 'generateQr'
        ? body.orderId
        : name === 'getStatus'
          ? query.get('merchantOrderId')
          : name === 'refund' && body.chargeIdType === 'AmazonTxnId'
            ? ledger.all().find((order) => order.charge?.amazonChargeId === body.chargeId)?.orderId
            : body.chargeId;
    return typeof id === 'string' ? id : undefined;
  }

  /** One signed Amazon Pay call: body, faults, signature, merchant, then the route's answer. */
  async function amazonCall(
    request: Request,
    name: keyof SandboxCalls,
    answer: (body: Record<string, unknown>, query: URLSearchParams) => Promise<Answer> | Answer,
  ): Promise<Response> {
    /** What ends an injected delay: the caller going away or the sandbox closing (made only for one). */
    const stopped = () => AbortSignal.any([request.signal, closing.signal]);
    const requestId = randomUUID();
    let scope: FaultScope = { api: name };
    const signed = (payload: unknown, status = 200) => {
      const bodyText = JSON.stringify(payload);
      const time = new Date(now());
      const date = amzDate(time);
      const secretKey = faults.take('badSignature', scope) ? `${merchant.secretKey}-forged` : merchant.secretKey;
      const signature = signResponse({
        method: request.method,
        url: request.url,
        requestId,
        amzDate: date,
        bodyText,
        secretKey,
        variant: request.method === 'GET' ? strict.getSignature : undefined,
        ...signing,
      });
      return textResponse(bodyText, {
        status,
        headers: {
          'content-type': 'application/json',
          // Amazon's clock, which the go-live check compares with the merchant's.
          date: time.toUTCString(),
          'x-amz-request-id': requestId,
          'x-amz-date': date,
          'x-amz-signature': signature,
        },
      });
    };
    try {
      const url = new URL(request.url);
      const bodyText = request.method === 'POST' ? await readText(request, BODY_LIMIT) : undefined;
      let body: Record<string, unknown> = {};
      if (bodyText !== undefined) {
        try {
          body = parseSignedJson(bodyText) as Record<string, unknown>;
        } catch (error) {
          throw new AmazonApiError(
            400,
            'InvalidArguments',
            `The request body is not valid JSON: ${(error as Error).message}`,
          );
        }
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          throw new AmazonApiError(400, 'InvalidArguments', 'The request body must be a JSON object.');
        }
      }
      scope = { api: name, orderId: orderIdOf(name, body, url.searchParams) };
      const latency = faults.latencyMs(scope);
      if (latency) await delay(latency, stopped());
      if (faults.take('hang', scope)) await delay(2 ** 31 - 1, stopped());
      const failure = faults.takeStatus(scope);
      if (failure !== undefined) {
        throw new AmazonApiError(
          failure,
          failure >= 500 ? 'InternalServerError' : 'InvalidArguments',
          'Injected by the sandbox.',
        );
      }
      const merchantId = bodyText === undefined ? url.searchParams.get('merchantId') : body.merchantId;
      if (!merchantId)
        throw new AmazonApiError(400, 'InvalidArguments', 'merchantId field is mandatory, cannot be null or blank');
      if (merchantId !== request.headers.get('x-amz-client-id')) {
        throw new AmazonApiError(400, 'MerchantIdMismatch', 'x-amz-client-id does not match merchantId.');
      }
      verifyRequest(request, bodyText, merchant, {
        ...signing,
        now: now(),
        separator: strict.authorizationSeparator,
      });
      if (merchantId !== merchant.merchantId)
        throw new AmazonApiError(404, 'IdentifierNotFound', `Merchant ${String(merchantId)} is not known.`);
      calls[name] += 1;
      const result = await answer(body, url.searchParams);
      return result instanceof Created ? signed(result.body, 201) : signed(result);
    } catch (error) {
      if (error instanceof AmazonApiError) return signed(error.body, error.status);
      if ((error as { status?: number }).status === 413)
        return signed({ code: 'InvalidArguments', message: 'The request body is too large.' }, 413);
      throw error;
    }
  }

  async function generateQr(body: Record<string, unknown>) {
    const input = parseGenerateQr(body, now(), strict.expiryField);
    const store = merchant.stores.find((candidate) => candidate.storeId === input.storeId);
    if (!store || store.storeIdType !== input.storeIdType) {
      throw new AmazonApiError(404, 'IdentifierNotFound', `Store ${input.storeId} (${input.storeIdType}) not found.`);
    }
    if (store.terminalIds && !store.terminalIds.includes(input.terminalId ?? '')) {
      throw new AmazonApiError(
        404,
        'IdentifierNotFound',
        `Terminal ${input.terminalId ?? '(none)'} not found in store ${store.storeId}.`,
      );
    }
    const order = ledger.create(
      {
        orderId: input.orderId,
        amount: input.amount,
        storeId: input.storeId,
        terminalId: input.terminalId,
        expiresAt: input.expiresAt,
      },
      (tokenId) => upiString(payee, input.amount, tokenId),
    );
    const qrPayload: Record<string, string> = {};
    if (input.distributionTypes.includes('QR_STRING')) qrPayload.qrString = order.qrString;
    if (input.distributionTypes.includes('QR_IMAGE')) {
      const png = await QRCode.toBuffer(order.qrString, { errorCorrectionLevel: 'M', margin: 4, scale: 8 });
      qrPayload.qrImage = png.toString('base64');
    }
    return { tokenId: order.tokenId, qrPayload };
  }

  function getStatus(query: URLSearchParams) {
    const orderId = query.get('merchantOrderId');
    if (!orderId)
      throw new AmazonApiError(400, 'InvalidArguments', 'merchantOrderId field is mandatory, cannot be null or blank');
    const order = ledger.get(orderId);
    return {
      merchantId: merchant.merchantId,
      merchantOrderId: orderId,
      status: order?.status ?? 'NO_RECORD_FOUND',
      amount: order?.amount,
      amazonChargeId: order?.charge?.amazonChargeId,
    };
  }

  function cancel(body: Record<string, unknown>) {
    const input = parseCancel(body, strict.requireNotes);
    const order = ledger.cancel(input);
    const { outcome } = order.cancel!;
    if (outcome === 'Approved') return { merchantId: merchant.merchantId, status: outcome, amount: order.amount };
    return {
      merchantId: merchant.merchantId,
      chargeId: order.orderId,
      amazonChargeId: order.charge!.amazonChargeId,
      status: outcome,
      amount: order.charge!.amount,
      createTime: order.charge!.at,
      updateTime: order.cancel!.at,
    };
  }

  function refund(body: Record<string, unknown>) {
    const input = parseRefund(body, strict.requireNotes);
    const entry = ledger.refund(input);
    const answer = {
      merchantId: merchant.merchantId,
      refundId: entry.refundId,
      amazonRefundId: entry.amazonRefundId,
      chargeId: input.chargeId,
      amount: entry.amount,
      status: entry.status,
    };
    return strict.refundCreated
      ? new Created({ ...answer, amount: Number(entry.amount), refundedFee: 0, currencyCode: 'INR' })
      : answer;
  }

  /**
   * The demo's and the tests' hands: play the customer, read the ledger, inject faults. Only from
   * the sandbox's own origin, and a POST only as JSON (which no cross-site form can send): a page
   * elsewhere must not pay the demo's orders.
   */
  async function control(request: Request, path: string): Promise<Response> {
    const orderRoute = /^\/control\/orders\/([^/]+)(?:\/(pay|fail))?$/.exec(path);
    const origin = request.headers.get('origin');
    const site = request.headers.get('sec-fetch-site');
    if ((origin !== null && origin !== new URL(request.url).origin) || site === 'cross-site' || site === 'same-site') {
      return json({ code: 'Forbidden', message: 'The sandbox controls answer their own origin only.' }, 403);
    }
    const type = request.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
    if (request.method === 'POST' && type !== 'application/json') {
      return json({ code: 'UnsupportedMediaType', message: 'Send the sandbox controls application/json.' }, 415);
    }
    try {
      if (orderRoute && request.method === 'POST' && orderRoute[2]) {
        const orderId = decodeURIComponent(orderRoute[1]);
        const text = await readText(request, BODY_LIMIT);
        const body = text ? (JSON.parse(text) as { notify?: unknown }) : {};
        if (orderRoute[2] === 'fail') return json(ledger.fail(orderId));
        return json(pay(orderId, { notify: body.notify !== false }));
      }
      if (orderRoute && request.method === 'GET' && !orderRoute[2]) {
        const order = ledger.get(decodeURIComponent(orderRoute[1]));
        return order
          ? json(order)
          : json({ code: 'IdentifierNotFound', message: 'No such order in the sandbox.' }, 404);
      }
      if (path === '/control/orders' && request.method === 'GET') return json(ledger.all());
      if (path === '/control/faults' && request.method === 'POST') {
        const settings = JSON.parse((await readText(request, BODY_LIMIT)) || '{}') as FaultSettings;
        const problem = checkFaults(settings);
        if (problem) return json({ code: 'InvalidArguments', message: problem }, 400);
        faults.set(settings);
        return json(faults.current(settings));
      }
      if (path === '/control/faults' && request.method === 'DELETE') {
        faults.clear();
        return json(faults.current());
      }
      if (path === '/control/ipn/subscribe' && request.method === 'POST') {
        return json({ accepted: await sendSubscriptionConfirmation() });
      }
    } catch (error) {
      if (error instanceof AmazonApiError) return json(error.body, error.status);
      if (error instanceof SyntaxError)
        return json({ code: 'InvalidArguments', message: 'The body is not valid JSON.' }, 400);
      throw error;
    }
    return json({ code: 'NotFound', message: `The sandbox has no ${request.method} ${basePath}${path}.` }, 404);
  }

  function sendSubscriptionConfirmation() {
    return notifier.sendSubscriptionConfirmation(selfUrl('/sns/confirm'), selfUrl('/sns/cert.pem'));
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(`${basePath}/`))
      return json({ code: 'NotFound', message: 'Not a sandbox path.' }, 404);
    const path = url.pathname.slice(basePath.length);
    if (path.startsWith('/v')) origin = url.origin;
    const route = `${request.method} ${path}`;
    if (route === 'POST /v2/pay/token') return amazonCall(request, 'generateQr', (body) => generateQr(body));
    if (route === 'GET /v2/pay/token') return amazonCall(request, 'getStatus', (_body, query) => getStatus(query));
    if (route === 'POST /v2/pay/cancel') return amazonCall(request, 'cancel', (body) => cancel(body));
    if (route === 'POST /v1/payments/refund') return amazonCall(request, 'refund', (body) => refund(body));
    if (route === 'GET /sns/cert.pem') {
      return new Response(notifier.publicKeyPem, { headers: { 'content-type': 'application/x-pem-file' } });
    }
    if (route === 'GET /sns/confirm') {
      subscriptionConfirmed = true;
      return new Response('<ConfirmSubscriptionResponse/>', { headers: { 'content-type': 'text/xml' } });
    }
    if (path.startsWith('/control/')) return control(request, path);
    return json({ code: 'NotFound', message: `The sandbox has no ${route}.` }, 404);
  }

  return {
    fetch: async (request) => forCaller(request, await handle(request)),
    pay,
    fail: (orderId) => ledger.fail(orderId),
    order: (orderId) => ledger.get(orderId),
    orders: () => ledger.all(),
    faults,
    calls,
    sendSubscriptionConfirmation,
    get subscriptionConfirmed() {
      return subscriptionConfirmed;
    },
    settled: () => notifier.settled(),
    close() {
      closing.abort(new Error('The sandbox closed.'));
      notifier.close();
    },
  };
}
