/**
 * Watches the element's calls from the page's side of `fetch`: when each was sent (on the fake
 * clock, to the millisecond), how many status requests were open at once, and which calls are
 * still on their way. Each call carries its number in `CALL_HEADER`, so the fake backend can say
 * which of them it holds on purpose (a long poll, a hang).
 */
import sinon from 'sinon';

/** The request header that numbers each watched call. */
export const CALL_HEADER = 'x-test-call';

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
  /** Numbers of the calls whose answer has not been read by the page (body included), nor failed. */
  readonly unanswered: ReadonlySet<string>;
}

/** Numbers calls across every watch of the page, so a call a past test left held never shares a number with one now. */
let calls = 0;

/**
 * `response`, calling `done` once its body has been read (or failed to be). The answer has reached
 * the element only then: an engine may take many turns of its event loop to hand a body over
 * after the headers (Firefox does, from a service worker).
 */
function readTracked(response: Response, done: () => void): Response {
  for (const read of ['arrayBuffer', 'blob', 'formData', 'json', 'text'] as const) {
    const original = response[read].bind(response) as () => Promise<unknown>;
    Object.defineProperty(response, read, { value: () => original().finally(done) });
  }
  return response;
}

/** Wraps `window.fetch` until `sinon.restore()`. */
export function watchFetch(): FetchWatch {
  const original = window.fetch.bind(window);
  const sent: SentCall[] = [];
  const open = new Set<AbortSignal>();
  const unanswered = new Set<string>();
  let most = 0;
  const answered = (input: RequestInfo | URL, init: RequestInit | undefined, call: string) => {
    unanswered.add(call);
    const done = () => unanswered.delete(call);
    return original(input, init).then(
      (response) => readTracked(response, done),
      (error: unknown) => {
        done();
        throw error;
      },
    );
  };
  sinon.stub(window, 'fetch').callsFake(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? 'GET';
    sent.push({ method, url, at: Date.now() });
    const call = String(++calls);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set(CALL_HEADER, call);
    const numbered = { ...init, headers };
    const signal = method === 'GET' ? init?.signal : undefined;
    if (!signal) return answered(input, numbered, call);
    open.add(signal);
    most = Math.max(most, [...open].filter((each) => !each.aborted).length);
    try {
      return await answered(input, numbered, call);
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
    unanswered,
  };
}
