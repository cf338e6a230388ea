/**
 * Watches the element's calls from the page's side of `fetch`: when each was sent (on the fake
 * clock, to the millisecond) and how many status requests were open at once.
 */
import sinon from 'sinon';

/** One call the page sent. */
export interface SentCall {
  method: string;
  url: string;
  at: number;
}

/** What the page sent so far. */
export interface FetchWatch {
  readonly sent: SentCall[];
  /** The most status (GET) requests open at once, aborted ones not counted. */
  readonly mostStatusInFlight: number;
  /** Send times of status requests for `orderId`. */
  statusTimes(orderId: string): number[];
}

/** Wraps `window.fetch` until `sinon.restore()`. */
export function watchFetch(): FetchWatch {
  const original = window.fetch.bind(window);
  const sent: SentCall[] = [];
  const open = new Set<AbortSignal>();
  let most = 0;
  sinon.stub(window, 'fetch').callsFake(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? 'GET';
    sent.push({ method, url, at: Date.now() });
    const signal = method === 'GET' ? init?.signal : undefined;
    if (!signal) return original(input, init);
    open.add(signal);
    most = Math.max(most, [...open].filter((each) => !each.aborted).length);
    try {
      return await original(input, init);
    } finally {
      open.delete(signal);
    }
  });
  return {
    sent,
    get mostStatusInFlight() {
      return most;
    },
    statusTimes: (orderId) =>
      sent
        .filter((call) => call.method === 'GET' && new URL(call.url, location.href).pathname.endsWith(`/qr/${orderId}`))
        .map((call) => call.at),
  };
}
