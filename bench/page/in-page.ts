/**
 * Runs inside the benchmark page (bundled by esbuild, loaded before the element's script): a fake
 * backend answering from the page, counters of live timers and requests, an empty Lit element as
 * the render baseline, and the timed steps the Node side calls through `window.bench`.
 */
import { LitElement, html } from 'lit';
import { drawQr } from '../../src/view/qr.js';

/** What the page offers the benchmarks. */
export interface PageBench {
  /** Answers `fetch` to `/api/dqr` from the page: instant creates, long polls held until `pay`. */
  fakeBackend(): void;
  /** Milliseconds from connecting an `<amazonpay-dqr>` to its QR in the DOM, and to it painted. */
  timeToQr(orderId: string): Promise<Timing>;
  /** Milliseconds from connecting an empty Lit element to its first render in the DOM, and painted. */
  timeToEmptyRender(): Promise<Timing>;
  /** Milliseconds to encode and draw the QR of each of `runs` distinct UPI strings. */
  encodeTimes(runs: number): number[];
  /** Mount, wait for the QR, pay, wait for `paid`, remove: `count` times in a row. */
  payCycles(count: number, prefix: string): Promise<void>;
  /** Timers set and neither fired nor cleared, and requests not yet settled. */
  pending(): { timeouts: number; intervals: number; fetches: number };
  /** Mounts an element for `orderId` (against the real backend unless faked); resolves once its QR shows. */
  mount(orderId: string): Promise<void>;
  /** When (`timeOrigin + now`, ms) the element mounted for `orderId` fired `paid`; it is then removed. */
  paidAt(orderId: string): Promise<number>;
}

/** Milliseconds from connection to the DOM holding the render (before any frame), and to it painted. */
export interface Timing {
  dom: number;
  painted: number;
}

declare global {
  interface Window {
    bench: PageBench;
  }
}

const live = { timeouts: new Set<number>(), intervals: new Set<number>(), fetches: 0 };
const nativeSetTimeout = window.setTimeout.bind(window);
const nativeSetInterval = window.setInterval.bind(window);

/** `clear` that also forgets `id` among the live timers. */
function forgetting(ids: Set<number>, clear: (id?: number) => void) {
  return (id?: number) => {
    if (id !== undefined) ids.delete(id);
    clear(id);
  };
}

window.setTimeout = ((handler: TimerHandler, ms?: number, ...args: unknown[]) => {
  const id = nativeSetTimeout(() => {
    live.timeouts.delete(id);
    if (typeof handler === 'function') (handler as (...a: unknown[]) => void)(...args);
  }, ms);
  live.timeouts.add(id);
  return id;
}) as typeof window.setTimeout;
window.setInterval = ((handler: TimerHandler, ms?: number, ...args: unknown[]) => {
  const id = nativeSetInterval(handler, ms, ...args);
  live.intervals.add(id);
  return id;
}) as typeof window.setInterval;
window.clearTimeout = forgetting(live.timeouts, window.clearTimeout.bind(window)) as typeof window.clearTimeout;
window.clearInterval = forgetting(live.intervals, window.clearInterval.bind(window)) as typeof window.clearInterval;

const nativeFetch = window.fetch.bind(window);
window.fetch = async (input, init) => {
  live.fetches++;
  try {
    return await (answer ?? nativeFetch)(input, init);
  } finally {
    live.fetches--;
  }
};
let answer: typeof fetch | undefined;

const paid = new Set<string>();
const held = new Map<string, () => void>();

function view(orderId: string, status: string, code = 200): Response {
  const now = Date.now();
  const body = {
    orderId,
    mode: 'production',
    status,
    amount: '249.00',
    currency: 'INR',
    expiresAt: new Date(now + 600_000).toISOString(),
    serverTime: new Date(now).toISOString(),
    qrString: `upi://pay?pa=bench.store@apl&pn=Bench%20Store&am=249.00&cu=INR&tr=${encodeURIComponent(orderId)}`,
  };
  return new Response(JSON.stringify(body), {
    status: code,
    headers: { 'content-type': 'application/json' },
  });
}

function fakeBackend(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const url = new URL(String(input), location.href);
  const [orderId, action] = url.pathname
    .replace(/^\/api\/dqr\/qr\/?/, '')
    .split('/')
    .map(decodeURIComponent);
  if (init.method === 'POST' && !orderId) {
    const created = (JSON.parse(String(init.body)) as { orderId: string }).orderId;
    return Promise.resolve(view(created, 'pending', 201));
  }
  if (action === 'cancel') return Promise.resolve(view(orderId, 'cancelled'));
  if (paid.has(orderId) || !url.searchParams.has('wait')) {
    return Promise.resolve(view(orderId, paid.has(orderId) ? 'paid' : 'pending'));
  }
  const signal = init.signal;
  return new Promise((resolve, reject) => {
    const abort = () => {
      held.delete(orderId);
      reject(signal?.reason);
    };
    held.set(orderId, () => {
      held.delete(orderId);
      signal?.removeEventListener('abort', abort);
      resolve(view(orderId, 'paid'));
    });
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/** Resolves once `find` returns something, re-checked on every change under `root`. */
function whenPresent(root: Node, find: () => Element | null | undefined): Promise<void> {
  if (find()) return Promise.resolve();
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!find()) return;
      observer.disconnect();
      resolve();
    });
    observer.observe(root, { childList: true, subtree: true, attributes: true });
  });
}

/** Resolves after the next frame is painted: a task queued from `requestAnimationFrame` runs after paint. */
function painted(): Promise<void> {
  return new Promise((resolve) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(undefined);
    }),
  );
}

function element(orderId: string): HTMLElement {
  const dqr = document.createElement('amazonpay-dqr');
  dqr.setAttribute('endpoint', '/api/dqr');
  dqr.setAttribute('order-id', orderId);
  dqr.setAttribute('amount', '249.00');
  return dqr;
}

const paidTimes = new Map<string, Promise<number>>();

const qrShown = (dqr: HTMLElement) => dqr.shadowRoot?.querySelector('svg.qr-svg');

class EmptyElement extends LitElement {
  override render() {
    return html`<p></p>`;
  }
}
customElements.define('bench-empty', EmptyElement);

window.bench = {
  fakeBackend() {
    answer = fakeBackend;
  },
  async timeToQr(orderId) {
    const dqr = element(orderId);
    const start = performance.now();
    document.body.append(dqr);
    await whenPresent(dqr.shadowRoot!, () => qrShown(dqr));
    const dom = performance.now() - start;
    await painted();
    const elapsed = performance.now() - start;
    dqr.remove();
    return { dom, painted: elapsed };
  },
  async timeToEmptyRender() {
    const empty = document.createElement('bench-empty');
    const start = performance.now();
    document.body.append(empty);
    await whenPresent(empty.shadowRoot!, () => empty.shadowRoot!.querySelector('p'));
    const dom = performance.now() - start;
    await painted();
    const elapsed = performance.now() - start;
    empty.remove();
    return { dom, painted: elapsed };
  },
  encodeTimes(runs) {
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const start = performance.now();
      drawQr(`upi://pay?pa=bench.store@apl&pn=Bench%20Store&am=249.00&cu=INR&tr=ENC-${run}-${start}`);
      times.push(performance.now() - start);
    }
    return times;
  },
  async payCycles(count, prefix) {
    for (let cycle = 0; cycle < count; cycle++) {
      const orderId = `${prefix}-${cycle}`;
      const dqr = element(orderId);
      const paidEvent = new Promise((resolve) => dqr.addEventListener('paid', resolve, { once: true }));
      document.body.append(dqr);
      await whenPresent(dqr.shadowRoot!, () => qrShown(dqr));
      paid.add(orderId);
      held.get(orderId)?.();
      await paidEvent;
      dqr.remove();
      paid.delete(orderId);
    }
  },
  pending() {
    return { timeouts: live.timeouts.size, intervals: live.intervals.size, fetches: live.fetches };
  },
  async mount(orderId) {
    const dqr = element(orderId);
    paidTimes.set(
      orderId,
      new Promise((resolve) =>
        dqr.addEventListener(
          'paid',
          () => {
            resolve(performance.timeOrigin + performance.now());
            dqr.remove();
          },
          { once: true },
        ),
      ),
    );
    document.body.append(dqr);
    await whenPresent(dqr.shadowRoot!, () => qrShown(dqr));
  },
  paidAt(orderId) {
    const at = paidTimes.get(orderId);
    paidTimes.delete(orderId);
    return at ?? Promise.reject(new Error(`no element was mounted for ${orderId}`));
  },
};
