/**
 * Runs a Web-standard fetch handler on Node's `http` server. The handler sees a real `Request`
 * whose `signal` aborts when the client goes away (so a held long poll ends at once), and its
 * `Response` is streamed back as it comes. The request's URL comes from the request line and a
 * checked `Host`: a header can never rewrite the path a handler routes on.
 */
import { createServer, type IncomingMessage, type ServerOptions, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { answeredByAdapter, knownText } from './answer-text.js';

/** A Web-standard handler: the backend's and the sandbox's shape, on Node or on an edge runtime. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** `name` or `name:port`: DNS labels, an IPv4 address or a bracketed IPv6 address; no path, no user. */
const HOST = /^(?:[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
/**
 * The one method Node hands a listener that the Fetch standard refuses to carry in a `Request`
 * (Node answers CONNECT and unknown methods itself).
 */
const UNSERVED_METHOD = 'TRACE';
/** The methods this adapter's handlers answer (each route narrows it down further). */
const SERVED_METHODS = 'GET, HEAD, POST, OPTIONS';

/** An answer given before the handler is asked: the request is not one a handler could route. */
class Refusal {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

/**
 * The path and query of the request line: origin-form as is, absolute-form reduced to them. Express
 * and Connect strip the mount path from `url` when a listener is mounted with `app.use('/api/dqr',
 * listener)` and keep the request line's target in `originalUrl`: the handler routes on the path
 * the client asked for, wherever it is mounted.
 */
function targetOf(incoming: IncomingMessage & { originalUrl?: unknown }): string {
  const target = typeof incoming.originalUrl === 'string' ? incoming.originalUrl : (incoming.url ?? '/');
  if (target.startsWith('/')) return target;
  if (URL.canParse(target) && /^https?:$/.test(new URL(target).protocol)) {
    const { pathname, search } = new URL(target);
    return `${pathname}${search}`;
  }
  throw new Refusal(400, 'INVALID_REQUEST', 'The request target is not a path.');
}

/** A server that hands the handler a request whose body another part of it has already read. */
export class BodyAlreadyReadError extends Error {
  override readonly name = 'BodyAlreadyReadError';
  constructor(readonly path: string) {
    super(
      `The body of ${path} was read before the payment backend got it: a body parser (such as ` +
        `express.json() or Fastify's content-type parsers) runs ahead of it. Mount the backend before ` +
        `any body parser, as the README's "Mounting the handler" shows; the backend reads and limits ` +
        `the raw body itself.`,
    );
  }
}

/**
 * The client's going away, as a signal made the first time someone asks for it: most requests are
 * answered without anyone listening, and a signal costs more to make than a status request's
 * routing.
 */
class Departure {
  #controller: AbortController | undefined;
  #gone = false;
  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    if (this.#gone) this.#controller.abort();
    return this.#controller.signal;
  }
  leave() {
    this.#gone = true;
    this.#controller?.abort();
  }
}

/**
 * A `Request` whose `signal` (and its clones') aborts when the client goes away. Node's `Request`
 * made to follow a signal registers a listener, a weak reference and a finalizer on every request:
 * that costs a fifth of a status request, and keeps each request's garbage alive past the young
 * generation. A `Request` built from this one (`new Request(request)`, `fetch(request)`) does not
 * follow it: pass `signal: request.signal` along to carry the abort.
 */
class ClientRequest extends Request {
  readonly #departure: Departure;
  constructor(input: string | Request, init: RequestInit, departure: Departure) {
    super(input, init);
    this.#departure = departure;
    answeredByAdapter(this);
  }
  override get signal(): AbortSignal {
    return this.#departure.signal;
  }
  override clone(): Request {
    return new ClientRequest(super.clone(), {}, this.#departure);
  }
}

function toRequest(incoming: IncomingMessage, outgoing: ServerResponse): Request {
  const method = incoming.method ?? 'GET';
  if (method === UNSERVED_METHOD) {
    throw new Refusal(405, 'METHOD_NOT_ALLOWED', `${method} is not served here.`, { allow: SERVED_METHODS });
  }
  const host = incoming.headers.host ?? 'localhost';
  if (!HOST.test(host)) throw new Refusal(400, 'INVALID_REQUEST', 'The Host header is not a host name and port.');
  const departure = new Departure();
  outgoing.once('close', () => {
    if (!outgoing.writableFinished) departure.leave();
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
  }
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const target = targetOf(incoming);
  // Read by someone else, the stream would give the handler an empty body, or none at all.
  if (hasBody && (incoming.readableDidRead || incoming.readableEnded)) throw new BodyAlreadyReadError(target);
  // Concatenated, not resolved: a target such as `//elsewhere/x` stays a path on this host.
  const url = `http://${host}${target}`;
  try {
    const init = {
      method,
      headers,
      body: hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : undefined,
      // Node's fetch needs this to accept a streamed request body.
      ...(hasBody ? { duplex: 'half' } : {}),
    } as RequestInit;
    return new ClientRequest(url, init, departure);
  } catch {
    throw new Refusal(400, 'INVALID_REQUEST', 'The request could not be read.');
  }
}

function answerRefusal(outgoing: ServerResponse, refusal: Refusal) {
  const body = JSON.stringify({ code: refusal.code, message: refusal.message });
  outgoing.writeHead(refusal.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
    ...refusal.headers,
  });
  outgoing.end(body);
}

/** Resolves once `outgoing` can take more, or is gone. */
function drained(outgoing: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      outgoing.off('drain', done).off('close', done);
      resolve();
    };
    outgoing.on('drain', done).on('close', done);
  });
}

/**
 * Streams `body` to `outgoing`, read straight from its reader: the answers here are a chunk or two
 * of JSON, and a stream pipeline between the two kinds of stream costs more than the rest of a
 * status request. A body of one chunk goes out with the headers, in one write.
 */
async function writeBody(body: ReadableStream<Uint8Array>, outgoing: ServerResponse): Promise<void> {
  const reader = body.getReader();
  let held = await reader.read();
  while (!held.done) {
    const next = await reader.read();
    if (next.done) return void outgoing.end(held.value);
    if (outgoing.destroyed) return reader.cancel();
    if (!outgoing.write(held.value)) await drained(outgoing);
    held = next;
  }
  outgoing.end();
}

/** Options of `toNodeListener`. */
export interface NodeListenerOptions {
  /**
   * Told once when the listener is mounted where it cannot work (a `BodyAlreadyReadError`); every
   * such request also gets a 500 that says the same. Default `console.error`.
   */
  onMountError?: (error: Error) => void;
}

/** A `node:http` request listener that answers with `handler`. */
export function toNodeListener(handler: FetchHandler, options: NodeListenerOptions = {}) {
  const onMountError = options.onMountError ?? ((error: Error) => console.error(`amazonpay-dqr: ${error.message}`));
  let mountErrorTold = false;
  return async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    try {
      const response = await handler(toRequest(incoming, outgoing));
      const headers: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        headers[name] = name === 'set-cookie' ? response.headers.getSetCookie() : value;
      });
      // Answered before the request body was read (a 413, say): the rest of it is still on the
      // connection, so the connection cannot carry another request.
      if (!incoming.complete) headers.connection = 'close';
      const text = knownText(response);
      // A body known whole goes out with its length rather than in chunks.
      if (text !== undefined) headers['content-length'] ??= String(Buffer.byteLength(text));
      outgoing.writeHead(response.status, headers);
      if (incoming.method === 'HEAD') outgoing.end();
      else if (text !== undefined) outgoing.end(text);
      else if (!response.body) outgoing.end();
      else await writeBody(response.body, outgoing);
    } catch (error) {
      if (outgoing.headersSent) {
        outgoing.destroy(error as Error);
      } else if (outgoing.destroyed) {
        // The client is gone: nobody to answer.
      } else if (error instanceof Refusal) {
        answerRefusal(outgoing, error);
      } else if (error instanceof BodyAlreadyReadError) {
        if (!mountErrorTold) onMountError(error);
        mountErrorTold = true;
        answerRefusal(outgoing, new Refusal(500, 'BODY_ALREADY_READ', error.message));
      } else {
        outgoing.writeHead(500, { 'content-type': 'application/json' });
        outgoing.end(JSON.stringify({ code: 'INTERNAL', message: 'The server failed to answer.' }));
      }
    }
  };
}

/** How long a client may take, in milliseconds: a slow or idle client never holds a connection for long. */
export interface ServerTimeouts {
  /** To send the request line and headers. Default 10 s. */
  headersTimeoutMs?: number;
  /** To send the whole request, body included (not the time the answer takes). Default 30 s. */
  requestTimeoutMs?: number;
  /** Between two requests on a kept-alive connection. Default 5 s. */
  keepAliveTimeoutMs?: number;
}

/** The defaults of `ServerTimeouts`. */
export const DEFAULT_TIMEOUTS: Required<ServerTimeouts> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
};

/**
 * `node:http` server options for `timeouts`: a client that is too slow gets a 408 and its
 * connection closed, checked often enough (every second, or sooner for short timeouts) to close it
 * close to the time set.
 */
export function serverOptions(timeouts: ServerTimeouts = {}): ServerOptions {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = { ...DEFAULT_TIMEOUTS, ...timeouts };
  return {
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, Math.ceil(headersTimeoutMs / 4)),
  };
}

/** A listening server and the way to stop it. */
export interface RunningServer {
  /** `http://host:port`, with the port actually bound (useful with port 0). */
  url: string;
  /**
   * Stops accepting connections; each open one is closed once the answer under way on it is out
   * (sent with `Connection: close`), an idle one at once. What is still under way after `graceMs`
   * (default 0) is cut off. Resolves once every connection is closed.
   */
  close(graceMs?: number): Promise<void>;
}

/** Where `serve` listens and how long it waits for clients. */
export interface ServeOptions extends ServerTimeouts {
  /** Default 0: any free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
}

/** Starts `handler` on `port` (0 for any free one) and resolves once it listens. */
export async function serve(handler: FetchHandler, options: ServeOptions = {}): Promise<RunningServer> {
  const { port = 0, host = '127.0.0.1', ...timeouts } = options;
  const listener = toNodeListener(handler);
  /** Answers under way: when the server closes, those not begun are told to close their connection. */
  const underWay = new Set<ServerResponse>();
  let closing = false;
  const server = createServer(serverOptions(timeouts), (incoming, outgoing) => {
    if (closing) outgoing.setHeader('connection', 'close');
    else {
      underWay.add(outgoing);
      outgoing.once('close', () => underWay.delete(outgoing));
    }
    void listener(incoming, outgoing);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${bound}`,
    close: (graceMs = 0) =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const outgoing of underWay) if (!outgoing.headersSent) outgoing.setHeader('connection', 'close');
        const cutOff = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(cutOff);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
