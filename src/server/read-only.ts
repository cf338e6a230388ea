/** What a read-only endpoint (health, metrics) answers to a method that is not GET or HEAD. */

/** A 405 naming GET and HEAD, with `headers`, unless `request` is a GET or a HEAD. */
export function refuseUnlessRead(request: Request, headers: Record<string, string> = {}): Response | undefined {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  return Response.json(
    { code: 'METHOD_NOT_ALLOWED', message: 'Use GET here.' },
    { status: 405, headers: { ...headers, allow: 'GET, HEAD' } },
  );
}
