/** Bodies read with a size limit that is enforced while reading, not after. */
import { knownText } from './answer-text.js';
import { HttpError } from './backend/errors.js';

/** Default limit of a request body: 16 KiB, far above any contract request. */
export const DEFAULT_BODY_LIMIT = 16 * 1024;

/**
 * The body of a request or a response as UTF-8 text, or `undefined` as soon as it says or proves
 * to be longer than `limit` bytes (the rest is not read). A failure to read rejects as it came.
 */
export async function readUpTo(source: Request | Response, limit: number): Promise<string | undefined> {
  if (Number(source.headers.get('content-length') ?? 0) > limit) return undefined;
  const known = knownText(source);
  if (known !== undefined) return Buffer.byteLength(known) > limit ? undefined : known;
  if (!source.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = source.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(read.value);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

/** The body of a request (or a fetched response) as UTF-8 text; a 413 as soon as more than `limit` bytes arrived. */
export async function readText(request: Request | Response, limit: number): Promise<string> {
  const text = await readUpTo(request, limit).catch(() => {
    // The sender went away mid-body (or was cut off for being too slow): its fault, not ours.
    throw new HttpError(400, 'INVALID_REQUEST', 'The body ended before it was complete.');
  });
  if (text === undefined) throw tooLarge(limit);
  return text;
}

/** A JSON body: 415 unless the content type is JSON, 413 past `limit`, 400 when it does not parse. */
export async function readJson(request: Request, limit: number): Promise<unknown> {
  const type = request.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.');
  }
  const text = await readText(request, limit);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'INVALID_REQUEST', 'The request body is not valid JSON.', {
      body: 'The request body is not valid JSON.',
    });
  }
}

function tooLarge(limit: number) {
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes.`);
}
