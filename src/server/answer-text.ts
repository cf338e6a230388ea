/**
 * The text of the answers the server builds itself, kept beside each `Response` so that the Node
 * adapter writes it as it is: reading a small body back out of a `Response`'s stream costs more
 * than routing a status request. Any other `Response` is streamed as it comes.
 */
const texts = new WeakMap<Response, string>();

/** A `Response` of `text`, which the Node adapter writes without reading its body. */
export function textResponse(text: string, init: ResponseInit): Response {
  const response = new Response(text, init);
  texts.set(response, text);
  return response;
}

/** The text `response` was made of by `textResponse`, unless its body has been read since. */
export function knownText(response: Response): string | undefined {
  return response.bodyUsed ? undefined : texts.get(response);
}
