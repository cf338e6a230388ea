/**
 * Runs a Web-standard fetch handler on Node's `http` server. The handler sees a real `Request`
 * whose `signal` aborts when the client goes away (so a held long poll ends at once), and its
 * `Response` is streamed back as it comes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

/** A Web-standard handler: the backend's and the sandbox's shape, on Node or on an edge runtime. */
export type FetchHandler = (request: Request) => Promise<Response>;

function toRequest(incoming: IncomingMessage, outgoing: ServerResponse): Request {
  const controller = new AbortController();
  outgoing.once('close', () => {
    if (!outgoing.writableFinished) controller.abort();
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
  }
  const method = incoming.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(`http://${incoming.headers.host ?? 'localhost'}${incoming.url ?? '/'}`, {
    method,
    headers,
    signal: controller.signal,
    body: hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : undefined,
    // Node's fetch needs this to accept a streamed request body.
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit);
}

/** A `node:http` request listener that answers with `handler`. */
export function toNodeListener(handler: FetchHandler) {
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
      outgoing.writeHead(response.status, headers);
      if (response.body && incoming.method !== 'HEAD') {
        await pipeline(Readable.fromWeb(response.body as NodeReadableStream), outgoing);
      } else {
        outgoing.end();
      }
    } catch (error) {
      if (outgoing.headersSent) {
        outgoing.destroy(error as Error);
      } else if (!outgoing.destroyed) {
        outgoing.writeHead(500, { 'content-type': 'application/json' });
        outgoing.end(JSON.stringify({ code: 'INTERNAL', message: 'The server failed to answer.' }));
      }
    }
  };
}

/** A listening server and the way to stop it. */
export interface RunningServer {
  /** `http://host:port`, with the port actually bound (useful with port 0). */
  url: string;
  close(): Promise<void>;
}

/** Starts `handler` on `port` (0 for any free one) and resolves once it listens. */
export async function serve(handler: FetchHandler, { port = 0, host = '127.0.0.1' } = {}): Promise<RunningServer> {
  const server = createServer(toNodeListener(handler));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
