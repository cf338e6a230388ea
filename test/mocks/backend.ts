/**
 * An in-browser fake of the merchant backend for msw: the endpoint contract with state a test (or
 * the demo) controls: pay, fail, clock skew, held long polls, error bursts, delays and raw answers.
 */
import { http, HttpResponse, delay, type HttpHandler } from 'msw';
import type { CancelRequest, CreateQrRequest, Mode, OrderView } from '../../src/contract/types.js';
import { CALL_HEADER } from './fetch-watch.js';

/** Which call a fault or a recorded request belongs to. */
export type CallKind = 'create' | 'status' | 'cancel';

/** One request the fake backend saw. */
export interface SeenRequest {
  kind: CallKind;
  orderId: string;
  /** `?wait=` of a status request, 0 when absent. */
  wait: number;
  body?: unknown;
  headers: Headers;
  /** `Date.now()` when it arrived (the fake clock's, under fake timers). */
  at: number;
}

type Fault = (request: Request) => Response | Promise<Response>;

/** The watched calls (`CALL_HEADER`) a handler is holding on purpose: a long poll, a hang, a slow answer. */
const holding = new Set<string>();

/** Whether the fake backend holds watched call `call` now, rather than answering it. */
export function isHeld(call: string): boolean {
  return holding.has(call);
}

/** `work`, with `request` counted as held while it runs. */
async function held<T>(request: Request, work: Promise<T>): Promise<T> {
  const call = request.headers.get(CALL_HEADER);
  if (call) holding.add(call);
  try {
    return await work;
  } finally {
    if (call) holding.delete(call);
  }
}

/** A UPI URI like Amazon's, for `orderId` and `amount`. */
export function upiString(orderId: string, amount: string, payee = 'Chai & Co.'): string {
  const params = new URLSearchParams({ pa: 'chaiandco@apl', pn: payee, am: amount, cu: 'INR', tr: orderId });
  return `upi://pay?${params.toString().replace(/\+/g, '%20')}`;
}

/**
 * A pending order view as a backend would answer it now (ORD-1042, ₹249.00, five minutes to pay),
 * with `change` on top: a test's broken or hostile answer, sent through a fault or a channel.
 */
export function pendingAnswer(change: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Date.now();
  return {
    orderId: 'ORD-1042',
    mode: 'production',
    status: 'pending',
    amount: '249.00',
    currency: 'INR',
    expiresAt: new Date(now + 300_000).toISOString(),
    serverTime: new Date(now).toISOString(),
    qrString: upiString('ORD-1042', '249.00'),
    ...change,
  };
}

/** The fake backend; `handlers` go to msw's `worker.use`. */
export class FakeBackend {
  readonly orders = new Map<string, OrderView>();
  readonly requests: SeenRequest[] = [];
  /** The server's clock minus the client's, in ms (a positive skew: the server is ahead). */
  skewMs = 0;
  /** Whether long polls are held until the status changes or `wait` passes. */
  holdLongPolls = true;
  /** Payee name put in new QR strings. */
  payee = 'Chai & Co.';
  /** The mode new orders are in. */
  mode: Mode = 'production';
  private unreachable = false;
  private readonly faults: Record<CallKind, { fault: Fault; orderId?: string }[]> = {
    create: [],
    status: [],
    cancel: [],
  };
  private readonly waiters = new Set<() => void>();
  private arrivals: { kind: CallKind; resolve: (request: SeenRequest) => void }[] = [];
  /** Runs just before a cancel is answered (a payment landing as the cashier cancels). */
  beforeCancel: ((orderId: string) => void) | undefined;

  constructor(readonly endpoint = '/api/dqr') {}

  /** While true, every call fails as a network error (held long polls drop at once); calls are still recorded. */
  get down(): boolean {
    return this.unreachable;
  }

  set down(down: boolean) {
    this.unreachable = down;
    for (const wake of this.waiters) wake();
  }

  /**
   * The next `count` calls of `kind` (about `orderId` only, when given) answer with `fault` instead.
   * An order id keeps the fault from a late request of an earlier test that lands here.
   */
  fail(kind: CallKind, fault: Fault, count = 1, orderId?: string): void {
    for (let i = 0; i < count; i++) this.faults[kind].push({ fault, orderId });
  }

  private takeFault(kind: CallKind, orderId: string): Fault | undefined {
    const queue = this.faults[kind];
    const index = queue.findIndex((entry) => entry.orderId === undefined || entry.orderId === orderId);
    return index < 0 ? undefined : queue.splice(index, 1)[0].fault;
  }

  /** The next `count` calls of `kind` answer with a JSON error. */
  failWith(kind: CallKind, status: number, count = 1, code = 'UPSTREAM_UNAVAILABLE'): void {
    this.fail(kind, () => HttpResponse.json({ code, message: `Fake ${status} failure.` }, { status }), count);
  }

  /** Server clock now, as ISO. */
  now(): string {
    return new Date(Date.now() + this.skewMs).toISOString();
  }

  /** Puts an order in a state, waking held long polls. */
  update(orderId: string, change: Partial<OrderView>): OrderView {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`No fake order ${orderId}`);
    const next = { ...order, ...change };
    this.orders.set(orderId, next);
    for (const wake of this.waiters) wake();
    return next;
  }

  /** The customer pays, but the backend's long polls do not notice (a dropped notification). */
  payQuietly(orderId: string, amazonChargeId = 'P04-0000000-0000001'): void {
    this.orders.set(orderId, { ...this.orders.get(orderId)!, status: 'paid', amazonChargeId });
  }

  /** Resolves when the next request of `kind` arrives. */
  next(kind: CallKind): Promise<SeenRequest> {
    return new Promise((resolve) => this.arrivals.push({ kind, resolve }));
  }

  /** The customer pays. */
  pay(orderId: string, amazonChargeId = 'P04-0000000-0000001'): OrderView {
    return this.update(orderId, { status: 'paid', amazonChargeId });
  }

  private view(orderId: string): OrderView {
    return { ...this.orders.get(orderId)!, serverTime: this.now() };
  }

  private seen(kind: CallKind, request: Request, orderId: string, wait = 0, body?: unknown): void {
    const seen = { kind, orderId, wait, body, headers: request.headers, at: Date.now() };
    this.requests.push(seen);
    const waiting = this.arrivals.filter((arrival) => arrival.kind === kind);
    this.arrivals = this.arrivals.filter((arrival) => arrival.kind !== kind);
    for (const arrival of waiting) arrival.resolve(seen);
  }

  /** Requests of one kind. */
  seenOf(kind: CallKind): SeenRequest[] {
    return this.requests.filter((request) => request.kind === kind);
  }

  private async holdUntilChange(orderId: string, seconds: number, request: Request): Promise<void> {
    const { signal } = request;
    const before = this.orders.get(orderId)?.status;
    const change = new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const check = () => {
        if (this.down || this.orders.get(orderId)?.status !== before) done();
      };
      const timer = setTimeout(done, seconds * 1000);
      this.waiters.add(check);
      signal.addEventListener('abort', done);
    });
    await held(request, change);
  }

  get handlers(): HttpHandler[] {
    return [
      http.post(`${this.endpoint}/qr`, async ({ request }) => {
        const body = (await request.json()) as CreateQrRequest;
        this.seen('create', request, body.orderId, 0, body);
        if (this.down) return HttpResponse.error();
        const fault = this.takeFault('create', body.orderId);
        if (fault) return fault(request);
        const existing = this.orders.get(body.orderId);
        if (existing?.status === 'pending') return HttpResponse.json(this.view(body.orderId), { status: 200 });
        const serverNow = Date.now() + this.skewMs;
        const formats = body.formats ?? ['string'];
        this.orders.set(body.orderId, {
          orderId: body.orderId,
          mode: this.mode,
          status: 'pending',
          amount: body.amount,
          currency: 'INR',
          expiresAt: new Date(serverNow + body.expiresIn * 1000).toISOString(),
          serverTime: new Date(serverNow).toISOString(),
          ...(formats.includes('string') ? { qrString: upiString(body.orderId, body.amount, this.payee) } : {}),
          ...(formats.includes('image') ? { qrImage: TINY_PNG } : {}),
        });
        return HttpResponse.json(this.view(body.orderId), { status: 201 });
      }),
      http.get(`${this.endpoint}/qr/:orderId`, async ({ request, params }) => {
        const orderId = String(params.orderId);
        const wait = Number(new URL(request.url).searchParams.get('wait') ?? 0);
        this.seen('status', request, orderId, wait);
        if (this.down) return HttpResponse.error();
        const fault = this.takeFault('status', orderId);
        if (fault) return fault(request);
        if (!this.orders.has(orderId))
          return HttpResponse.json({ code: 'NOT_FOUND', message: 'No such order.' }, { status: 404 });
        if (wait > 0 && this.holdLongPolls && this.orders.get(orderId)!.status === 'pending') {
          await this.holdUntilChange(orderId, wait, request);
          if (this.down) return HttpResponse.error();
        }
        return HttpResponse.json(this.view(orderId));
      }),
      http.post(`${this.endpoint}/qr/:orderId/cancel`, async ({ request, params }) => {
        const orderId = String(params.orderId);
        const body = (await request.json()) as CancelRequest;
        this.seen('cancel', request, orderId, 0, body);
        if (this.down) return HttpResponse.error();
        const fault = this.takeFault('cancel', orderId);
        if (fault) return fault(request);
        this.beforeCancel?.(orderId);
        const order = this.orders.get(orderId);
        if (!order) return HttpResponse.json({ code: 'NOT_FOUND', message: 'No such order.' }, { status: 404 });
        if (order.status === 'pending')
          this.update(orderId, { status: 'cancelled', cancel: { outcome: 'Approved', refund: body.refund } });
        else if (order.status === 'paid') {
          this.update(orderId, {
            status: 'cancelled',
            cancel: {
              outcome: body.refund ? 'RefundApplicable' : 'RefundApplicableButNotRequested',
              refund: body.refund,
            },
          });
        }
        return HttpResponse.json(this.view(orderId));
      }),
    ];
  }
}

/** A 1×1 PNG, base64: a valid `qrImage`. */
export const TINY_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** Waits `ms` on msw's clock (real or fake), for a slow answer. */
export function slow(ms: number, response: () => Response): Fault {
  return async (request) => {
    await held(request, delay(ms));
    return response();
  };
}

/**
 * Never answers: the request stays open until the element gives up on it (its timeout or an abort),
 * or until `released` settles (a test's cleanup), when it fails as a network error.
 */
export function hang(released?: Promise<unknown>): Fault {
  return (request) =>
    held(
      request,
      new Promise<Response>((resolve, reject) => {
        request.signal.addEventListener('abort', () => reject(request.signal.reason as Error), { once: true });
        void released?.finally(() => resolve(HttpResponse.error()));
      }),
    );
}
