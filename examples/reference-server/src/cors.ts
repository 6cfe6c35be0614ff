import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** What a preflight from an allowed origin is told: every method, for ten minutes (Starlette's figures). */
const ALLOWED_METHODS = 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT';
const PREFLIGHT_MAX_AGE_S = '600';

/**
 * CORS as Letta's server answers it (Starlette's CORSMiddleware with the configured origins,
 * credentials, and every method and header allowed). A request without an `Origin` header (same-origin
 * pages, other services, probes) gets no CORS headers and costs one header lookup. An allowed origin is
 * echoed with `Access-Control-Allow-Credentials`; any other origin gets no allowance. A preflight (an
 * `OPTIONS` with `Origin` and `Access-Control-Request-Method`) is answered here, before the password
 * check, since browsers send no credentials with it: 204 for an allowed origin, 400 otherwise. `*` in
 * the list allows every origin.
 */
export function allowCorsOrigins(app: FastifyInstance, origins: readonly string[]): void {
  const allowed = new Set(origins);
  const allowsEvery = allowed.has('*');
  const isAllowed = (origin: string) => allowsEvery || allowed.has(origin);
  app.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    if (origin === undefined) return done();
    if (isPreflight(request)) return answerPreflight(request, reply, origin, isAllowed(origin));
    reply.header('vary', 'Origin');
    if (isAllowed(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-allow-credentials', 'true');
    }
    done();
  });
}

function isPreflight(request: FastifyRequest): boolean {
  return request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
}

function answerPreflight(
  request: FastifyRequest,
  reply: FastifyReply,
  origin: string,
  allowed: boolean,
): void {
  reply.header('vary', 'Origin');
  if (!allowed) {
    reply.code(400).send({ detail: `Disallowed CORS origin ${JSON.stringify(origin)}.` });
    return;
  }
  const requestedHeaders = request.headers['access-control-request-headers'];
  reply
    .code(204)
    .header('access-control-allow-origin', origin)
    .header('access-control-allow-credentials', 'true')
    .header('access-control-allow-methods', ALLOWED_METHODS)
    .header('access-control-max-age', PREFLIGHT_MAX_AGE_S);
  if (requestedHeaders) reply.header('access-control-allow-headers', requestedHeaders);
  reply.send();
}
