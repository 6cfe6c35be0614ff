import { createEndpointMetrics } from '@letta/telemetry';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { AgentNotFoundError } from './agent-store';
import { AgentBusyError } from './agent-write-lock';
import type { AppDependencies } from './app-dependencies';
import { allowCorsOrigins } from './cors';
import { recordEndpoints, recordUnmatched } from './endpoint-recording';
import { KEEP_ALIVE_TIMEOUT_MS } from './graceful-close';
import { checkNulBytesWhereInputIs, compileValidator } from './input-validation';
import { passwordCheck } from './password-check';
import { traceRequests } from './request-tracing';
import { agentRoutes } from './routes/agent-routes';
import { probeRoutes } from './routes/probe-routes';
import { runRoutes } from './routes/run-routes';
import { RETRY_AFTER_SECONDS, unavailableBody } from './unavailable-reply';

/** The Fastify application: CORS, password mode, request metrics, error mapping and every route. */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { settings, logger, password } = deps;
  // return503OnClosing: false: a request that arrives on a kept-alive connection while the server
  // drains is served like any other (with Connection: close), not refused with a 503.
  const app = Fastify({
    logger: false,
    return503OnClosing: false,
    // The drain leaves kept-alive connections to their peer to close (graceful-close.ts).
    forceCloseConnections: false,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    routerOptions: { ignoreTrailingSlash: true },
  });
  // Letta's endpoint metrics, labelled with the route template rather than the concrete path. First, so
  // that a request answered by any hook below is timed from its arrival too.
  const endpoints = createEndpointMetrics(deps.meterProvider, { names: deps.metricNames });
  recordEndpoints(app, endpoints);
  if (deps.tracerProvider) await traceRequests(app, deps.tracerProvider);

  allowCorsOrigins(app, settings.corsOrigins ?? []);

  if (password !== null) {
    const allowed = passwordCheck(password);
    app.addHook('onRequest', async (request, reply) => {
      if (!allowed(request.url.split('?', 1)[0] ?? '', request.headers)) {
        return reply.code(401).send({ detail: 'Unauthorized' });
      }
    });
  }

  app.setValidatorCompiler(compileValidator);
  app.addHook('onRoute', checkNulBytesWhereInputIs);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AgentNotFoundError) return reply.code(404).send({ detail: error.message });
    if (error instanceof AgentBusyError)
      return reply.code(409).header('retry-after', '1').send({ detail: error.message });
    if (error.validation) return reply.code(422).send({ detail: error.message });
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ detail: error.message });
    }
    const unavailable = unavailableBody(error);
    if (unavailable) {
      logger.warn(
        { reason: unavailable.reason, code: unavailable.code, route: request.routeOptions.url ?? 'unknown' },
        'Request failed: a dependency is unavailable',
      );
      return reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send(unavailable);
    }
    logger.error(
      { errorType: error.name, code: error.code, route: request.routeOptions.url ?? 'unknown' },
      'Request failed',
    );
    return reply.code(500).send({ detail: 'An unknown error occurred' });
  });
  // Encapsulated, so that its onSend hook records only what no route matched.
  await app.register(async (unmatched) => {
    unmatched.addHook('onSend', recordUnmatched(endpoints));
    unmatched.setNotFoundHandler((request, reply) =>
      reply.code(404).send({ detail: `No route ${request.method} ${request.url.split('?', 1)[0]}.` }),
    );
  });

  probeRoutes(app, deps);
  agentRoutes(app, deps);
  runRoutes(app, deps);
  return app;
}
