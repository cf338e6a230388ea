import { createAmazonPayClient, type AmazonPayClientConfig } from '../../../src/server/amazon-pay/client.js';
import { serve } from '../../../src/server/node-adapter.js';
import { createSandbox, type SandboxOptions } from '../../../src/server/sandbox/index.js';

export const MERCHANT = { merchantId: 'A1TESTMERCHANT', accessKeyId: 'AKTEST0001', secretKey: 'test-secret' };
export const STORE = { storeId: 'STORE-1', storeIdType: 'MERCHANT_STORE_ID' };

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
    client: (config: Partial<AmazonPayClientConfig> = {}) =>
      createAmazonPayClient({ ...MERCHANT, ...STORE, baseUrl, now: () => clock, ...config }),
    async close() {
      sandbox.close();
      await Promise.all([server.close(), ipn.close()]);
    },
  };
}
