/**
 * The sandbox as a separate backend process meets Amazon Pay: over HTTPS on a port of its own, in
 * the test's process, so the test reads its ledger and sets its faults directly, and sees every
 * Amazon Pay call the backend makes. Hooks run when a call arrives (before the sandbox acts on
 * it) and once it is answered (after the sandbox acted, before the answer leaves): a test can kill
 * the backend at either moment and leave the call unanswered.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { toNodeListener } from '../../../../src/server/node-adapter.js';
import { createSandbox, type SandboxApi } from '../../../../src/server/sandbox/index.js';
import { makeCertificate } from '../https-sandbox.js';
import { MERCHANT, STORE } from '../sandbox-server.js';

/** One Amazon Pay call as the sandbox receives it. */
export interface AmazonCall {
  api: SandboxApi;
  orderId?: string;
}

/** What a hook may answer: `hold` leaves the call unanswered for good (its caller is dead). */
export type HookAnswer = void | 'hold';

/** Where a test steps in. */
export interface SandboxHooks {
  /** A call arrived; the sandbox has not acted on it yet. */
  arrived?(call: AmazonCall): HookAnswer | Promise<HookAnswer>;
  /** The sandbox acted on a call and answered `status`; the answer has not been sent yet. */
  answered?(call: AmazonCall, status: number): HookAnswer | Promise<HookAnswer>;
  /** A payment notification for `orderId` is about to be delivered. */
  notifying?(orderId: string): void | Promise<void>;
}

const ROUTES: Record<string, SandboxApi> = {
  'POST /sandbox/v2/pay/token': 'generateQr',
  'GET /sandbox/v2/pay/token': 'getStatus',
  'POST /sandbox/v2/pay/cancel': 'cancel',
  'POST /sandbox/v1/payments/refund': 'refund',
};

const never = () => new Promise<Response>(() => undefined);

let certificate: ReturnType<typeof makeCertificate> | undefined;

/**
 * The certificate every sandbox of this test process serves, made on first use; its file is what a
 * backend child trusts through `NODE_EXTRA_CA_CERTS`.
 */
export function sandboxCertificate() {
  if (!certificate) {
    const made = makeCertificate();
    process.once('exit', () => made.remove());
    certificate = made;
  }
  return certificate;
}

/** Options of `hookedSandbox`. */
export interface HookedSandboxOptions {
  /** Where notifications go (the backend's `/ipn`), while it is known. */
  ipnUrl: () => string | undefined;
  /** Between notification attempts. Default 500 ms. */
  ipnRetryDelayMs?: number;
}

/** Starts the sandbox over HTTPS for the test merchant; `hooks` may be set and changed at any time. */
export async function hookedSandbox(options: HookedSandboxOptions) {
  const hooks: SandboxHooks = {};
  const { key, cert } = sandboxCertificate();
  const notify: typeof fetch = async (input, init) => {
    const payload = JSON.parse(JSON.parse(String(init?.body)).Message ?? '{}') as { merchantOrderId?: string };
    if (payload.merchantOrderId) await hooks.notifying?.(payload.merchantOrderId);
    return fetch(input, init);
  };
  const sandbox = createSandbox({
    basePath: '/sandbox',
    merchant: { ...MERCHANT, stores: [STORE] },
    ipnUrl: options.ipnUrl,
    ipnRetryDelayMs: options.ipnRetryDelayMs ?? 500,
    fetch: notify,
  });
  /** The API and order of a request to the sandbox, or `undefined` for its other routes. */
  async function describeCall(request: Request): Promise<AmazonCall | undefined> {
    const url = new URL(request.url);
    const api = ROUTES[`${request.method} ${url.pathname}`];
    if (!api) return undefined;
    if (api === 'getStatus') return { api, orderId: url.searchParams.get('merchantOrderId') ?? undefined };
    const body = (await request
      .clone()
      .json()
      .catch(() => ({}))) as Record<string, unknown>;
    if (api === 'generateQr') return { api, orderId: typeof body.orderId === 'string' ? body.orderId : undefined };
    const charged = sandbox.orders().find((order) => order.charge?.amazonChargeId === body.chargeId);
    const orderId = body.chargeIdType === 'AmazonTxnId' ? charged?.orderId : body.chargeId;
    return { api, orderId: typeof orderId === 'string' ? orderId : undefined };
  }

  const server = createServer(
    { key, cert },
    toNodeListener(async (request) => {
      const call = await describeCall(request);
      if (call && (await hooks.arrived?.(call)) === 'hold') return never();
      // The node adapter sees plain HTTP; the sandbox must know its URLs are https (its SNS certificate's).
      const body = request.method === 'POST' ? await request.arrayBuffer() : undefined;
      const secure = new Request(request.url.replace(/^http:/, 'https:'), {
        method: request.method,
        headers: request.headers,
        body,
        signal: request.signal,
      });
      const response = await sandbox.fetch(secure);
      if (call && (await hooks.answered?.(call, response.status)) === 'hold') return never();
      return response;
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    sandbox,
    hooks,
    origin,
    baseUrl: `${origin}/sandbox`,
    async close() {
      sandbox.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The sandbox `hookedSandbox` starts. */
export type HookedSandbox = Awaited<ReturnType<typeof hookedSandbox>>;
