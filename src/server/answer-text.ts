/**
 * Answers whose whole body is a text already in memory: the server's own JSON, and Amazon Pay's
 * answers as the default transport read them. Node's `Response` builds a body stream for every
 * body it is given, which costs more than routing a status request; a text answer builds it only
 * when someone reads the body through the `Response` API, and the Node adapter and the Amazon Pay
 * client take the text as it is (`knownText`), with no stream at all.
 *
 * A text answer's own body, as the platform sees it, is empty: a server that sends a `Response`
 * from its internal body (Deno, Bun, Cloudflare Workers) must get a plain one. So a handler hands
 * a text answer on as it is only to the Node adapter (`forCaller`).
 */

/** The text that `new Response(text)` labels, when nothing else says what the body is. */
const DEFAULT_TYPE = 'text/plain;charset=UTF-8';
/** Statuses whose `Response` carries no body at all. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A `Response` of `text` whose body is a `Response` of the same text, made the first time it is
 * read: every reading method goes through it, so a reader sees exactly what a plain `Response`
 * gives (a body read once, `bodyUsed` after).
 */
class TextResponse extends Response {
  readonly #text: string;
  #plain: Response | undefined;

  constructor(text: string, init: ResponseInit) {
    super(null, init);
    this.#text = text;
    if (!this.headers.has('content-type')) this.headers.set('content-type', DEFAULT_TYPE);
  }

  /** `response`'s text if it is one of these, unless its body has been read through the `Response` API. */
  static textOf(response: Request | Response): string | undefined {
    return #text in response && !response.bodyUsed ? response.#text : undefined;
  }

  #read(): Response {
    return (this.#plain ??= new Response(this.#text, this));
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> {
    return this.#read().body!;
  }
  override get bodyUsed(): boolean {
    return this.#plain?.bodyUsed ?? false;
  }
  override text(): Promise<string> {
    return this.#read().text();
  }
  override json(): Promise<unknown> {
    return this.#read().json();
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#read().arrayBuffer();
  }
  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#read().bytes();
  }
  override blob(): Promise<Blob> {
    return this.#read().blob();
  }
  override formData(): Promise<FormData> {
    return this.#read().formData();
  }
  override clone(): Response {
    return this.#plain ? this.#plain.clone() : new TextResponse(this.#text, this);
  }
}

/**
 * A `Response` of `text`, which the Node adapter and the Amazon Pay client read without a stream;
 * for a status that carries no body (204, 304 …), a `Response` without one.
 */
export function textResponse(text: string, init: ResponseInit): Response {
  return NULL_BODY.has(init.status ?? 200) ? new Response(null, init) : new TextResponse(text, init);
}

/** The text `response` was made of by `textResponse`, unless its body has been read since. */
export function knownText(response: Request | Response): string | undefined {
  return TextResponse.textOf(response);
}

/** Requests the Node adapter made, and whose answers it writes itself. */
const adapterRequests = new WeakSet<Request>();

/** Marks `request` as the Node adapter's: a text answer to it may be handed back as it is. */
export function answeredByAdapter(request: Request): void {
  adapterRequests.add(request);
}

/**
 * `response` as the caller of a handler gets it: as it is for the Node adapter, and a plain
 * `Response` of the same text for any other caller of a text answer.
 */
export function forCaller(request: Request, response: Response): Response {
  if (adapterRequests.has(request)) return response;
  const text = knownText(response);
  return text === undefined ? response : new Response(text, response);
}
