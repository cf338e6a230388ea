/**
 * `GET /healthz` and `GET /readyz`, outside the contract's base path, for load balancers,
 * orchestrators and the container's health check. Neither needs a token or says anything about
 * orders: liveness is "the process answers", readiness is "send me requests".
 */
import type { Backend } from './backend/index.js';
import { refuseUnlessRead } from './read-only.js';

/** Liveness: 200 whenever the process answers at all. */
export const LIVENESS_PATH = '/healthz';
/** Readiness: 200 when the store answers and the process is not shutting down, 503 otherwise. */
export const READINESS_PATH = '/readyz';

const HEADERS = { 'cache-control': 'no-store' };

/** The answer to a request for `LIVENESS_PATH` or `READINESS_PATH`. */
export async function answerHealth(request: Request, path: string, backend: Backend): Promise<Response> {
  const refused = refuseUnlessRead(request, HEADERS);
  if (refused) return refused;
  if (path === LIVENESS_PATH) return Response.json({ status: 'ok' }, { headers: HEADERS });
  const { ready, checks } = await backend.readiness();
  return Response.json(
    { status: ready ? 'ready' : 'unready', checks },
    { status: ready ? 200 : 503, headers: HEADERS },
  );
}
