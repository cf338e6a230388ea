import { createAmazonPayClient, type AmazonPayClientConfig } from '../../../src/server/amazon-pay/client.js';
import { createLogger } from '../../../src/server/log.js';
import { serve } from '../../../src/server/node-adapter.js';
import { createSandbox, type SandboxOptions } from '../../../src/server/sandbox/index.js';
import { signRequest, type RequestSigner } from '../../../src/server/signing.js';

export const MERCHANT = { merchantId: 'A1TESTMERCHANT', accessKeyId: 'AKTEST0001', secretKey: 'test-secret' };
export const STORE = { storeId: 'STORE-1', storeIdType: 'MERCHANT_STORE_ID' };

/** A raw call to one of the sandbox's Amazon endpoints, signed like the merchant's client signs. */
export interface SignedCall {
  method?: 'GET' | 'POST';
  /** The JSON body that is signed (and sent, unless `sent` replaces it). */
  body?: Record<string, unknown>;
  /** The text sent instead of the signed body: a body tampered with in transit. */
  sent?: string;
  /** Who signs, over the test merchant: another key, secret or merchant id. */
  signer?: Partial<RequestSigner>;
  /** When the call is signed; the sandbox's clock by default. */
  date?: Date;
}

let rawOrders = 0;

/** `yyyy-MM-dd HH:mm:ss` UTC, `seconds` after `now`: a Generate QR expiry. */
export const expiryText = (now: number, seconds: number) =>
  new Date(now + seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');

/** A valid Generate QR body for the test merchant (a new order id, expiring in 2 minutes), with `fields` over it. */
export function generateQrBody(now: number, fields: Record<string, unknown> = {}) {
  return {
    merchantId: MERCHANT.merchantId,
    storeIdType: 'MERCHANT_STORE_ID',
    storeId: 'STORE-1',
    currency: 'INR',
    clientId: '04',
    distributionType: ['QR_STRING'],
    expiryTimestamp: expiryText(now, 120),
    amount: '10.00',
    orderId: `RAW-${++rawOrders}`,
    qrMedium: '03',
    ...fields,
  };
}

/** What arrived at the stand-in backend's IPN endpoint. */
export interface Delivery {
  headers: Headers;
  body: string;
}

/**
 * The sandbox on a loopback port, a clock the test moves, a stand-in backend that records the
 * notifications it receives (answering `ipnStatus`), and `client()` for signed calls to it.
 */
export async function sandboxOverHttp(options: Partial<SandboxOptions> = {}) {
  let clock = Date.now();
  const deliveries: Delivery[] = [];
  const receiver = { status: 200 };
  const ipn = await serve(async (request) => {
    deliveries.push({ headers: request.headers, body: await request.text() });
    return new Response(null, { status: receiver.status });
  });
  const sandbox = createSandbox({
    merchant: {
      ...MERCHANT,
      stores: [STORE, { storeId: 'STORE-T', storeIdType: 'MERCHANT_STORE_ID', terminalIds: ['T1'] }],
    },
    ipnUrl: () => `${ipn.url}/api/dqr/ipn`,
    ipnRetryDelayMs: 5,
    now: () => clock,
    ...options,
  });
  const server = await serve(sandbox.fetch);
  const baseUrl = `${server.url}/sandbox`;
  return {
    sandbox,
    url: server.url,
    baseUrl,
    deliveries,
    receiver,
    advance: (ms: number) => (clock += ms),
    now: () => clock,
    /** `path` below the sandbox (`/v2/pay/token`), signed as `call` says, over HTTP. */
    signedCall(path: string, { method = 'POST', body, sent, signer, date = new Date(clock) }: SignedCall = {}) {
      const url = `${baseUrl}${path}`;
      const bodyText = body === undefined ? undefined : JSON.stringify(body);
      const headers = signRequest({ method, url, body: bodyText, date }, { ...MERCHANT, ...signer });
      return fetch(url, {
        method,
        headers: { ...headers, 'content-type': 'application/json' },
        body: sent ?? bodyText,
      });
    },
    client: (config: Partial<AmazonPayClientConfig> = {}) =>
      createAmazonPayClient({
        ...MERCHANT,
        ...STORE,
        baseUrl,
        now: () => clock,
        logger: createLogger({ level: 'silent' }),
        ...config,
      }),
    async close() {
      sandbox.close();
      await Promise.all([server.close(), ipn.close()]);
    },
  };
}
