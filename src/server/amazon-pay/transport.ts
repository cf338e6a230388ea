/**
 * How a signed call reaches Amazon Pay: by default `node:http` or `node:https` through a kept-alive
 * agent, answered as a Web `Response`. Node's `fetch` builds a `Request`, `Headers` and streams on
 * each side of every call, which costs about four times the CPU of `node:https` for a signed call
 * of a few hundred bytes each way: the largest single cost of a QR creation.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { textResponse } from '../answer-text.js';

/** One call as the client sends it. */
export interface CallInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** What sends the client's calls: `fetch` (a proxied one, a test's) or `nodeTransport`. */
export type Transport = (url: URL, init: CallInit) => Promise<Response>;

/** Idle sockets are closed after this: before a server's usual 5 s keep-alive, as `fetch` does. */
const IDLE_SOCKET_MS = 4_000;
const agents = {
  http: new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  https: new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
};

/**
 * Sent with every call besides the client's own headers: who calls (an API's edge may refuse a call
 * that names no agent), and that the answer must come uncompressed (it is read as it comes).
 */
const TRANSPORT_HEADERS = {
  'user-agent': `amazonpay-dqr (Node.js ${process.version})`,
  'accept-encoding': 'identity',
};

/** Amazon Pay's answers are a few kilobytes, a QR image included: a larger one is cut off, not held. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** An answer that went past `MAX_ANSWER_BYTES`; the rest of it was not read. */
export class AnswerTooLargeError extends Error {
  override name = 'AnswerTooLargeError';
  constructor() {
    super(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`);
  }
}

function toResponse(incoming: IncomingMessage, body: Buffer): Response {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) headers.append(raw[index], raw[index + 1]);
  return textResponse(body.toString('utf8'), {
    status: incoming.statusCode ?? 0,
    statusText: incoming.statusMessage,
    headers,
  });
}

/**
 * A kept-alive connection that the server had closed as the call went out on it: reset before any
 * answer came (`cause`).
 */
class StaleConnection extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

/** One exchange over `node:http(s)`; a reused connection reset before the answer rejects as `StaleConnection`. */
function exchange(url: URL, { method, headers, body, signal }: CallInit): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const https = url.protocol === 'https:';
    const options: RequestOptions = {
      method,
      signal,
      agent: https ? agents.https : agents.http,
      headers: {
        ...TRANSPORT_HEADERS,
        ...headers,
        ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
      },
    };
    let answered = false;
    const outgoing = (https ? httpsRequest : httpRequest)(url, options, (incoming) => {
      answered = true;
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_ANSWER_BYTES) return void chunks.push(chunk);
        // The connection still carries the rest: it goes with the answer.
        incoming.destroy();
        reject(new AnswerTooLargeError());
      });
      incoming.once('error', reject);
      incoming.once('end', () => {
        try {
          resolve(toResponse(incoming, Buffer.concat(chunks)));
        } catch (error) {
          reject(error as Error);
        }
      });
    });
    outgoing.once('error', (error: NodeJS.ErrnoException) => {
      const reset = error.code === 'ECONNRESET' || error.code === 'EPIPE';
      reject(reset && outgoing.reusedSocket && !answered && !signal.aborted ? new StaleConnection(error) : error);
    });
    outgoing.end(body);
  });
}

/**
 * Sends the call over `node:http(s)` and resolves with Amazon's answer, whatever its status; a
 * redirect is an answer too (a signed call is never sent on elsewhere). A kept-alive connection
 * reset before any answer, the mark of one the server closed as idle just as the call went out on
 * it, gets the call once more on a new connection, as Node's documentation advises; a server that
 * had read it and lost the connection gets it twice, which Amazon answers by its ids (a second
 * Generate QR for an order id is a 409, a refund id refunds once). Rejects with the socket's own
 * error (`ECONNREFUSED`, a certificate error …), the signal's abort, or an `AnswerTooLargeError`.
 */
export const nodeTransport: Transport = async (url, init) => {
  try {
    return await exchange(url, init);
  } catch (error) {
    if (!(error instanceof StaleConnection)) throw error;
    return exchange(url, init).catch((again: unknown) => {
      throw again instanceof StaleConnection ? again.cause : again;
    });
  }
};
