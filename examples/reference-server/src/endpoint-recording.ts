import type { EndpointMetrics, RouteMetrics } from '@letta/telemetry';
import type { FastifyInstance, onRequestHookHandler, onSendHookHandler } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** When the request arrived (`performance.now()`), for the endpoint metrics. */
    receivedAt: number;
  }
  interface FastifyContextConfig {
    /** The handler hijacks the reply and writes the response itself (a stream), so no `onSend` runs. */
    hijacksReply?: boolean;
  }
}

/** The `endpoint_path` of a request no route matched, as Letta labels it. */
const UNMATCHED = 'unknown';

const stampArrival: onRequestHookHandler = (request, _reply, done) => {
  request.receivedAt = performance.now();
  done();
};

/**
 * Records Letta's endpoint metrics for every route added after this call, under the route's template,
 * timed as Letta's middleware times a request: from its arrival until its response is ready to send.
 * Call it before any other hook, so that the arrival is stamped before a hook can answer (a password
 * check, a CORS preflight). Each route gets an `onSend` hook bound to its template when it is added: a
 * request costs one record and no lookup of the route's options (Fastify builds them anew on every read).
 * An `onResponse` hook would cost more: with one, Fastify listens for every response's end. A route whose
 * handler hijacks the reply (`config: { hijacksReply: true }`, a stream) is recorded when its response
 * closes, whether it ended or its client went away.
 */
export function recordEndpoints(app: FastifyInstance, endpoints: EndpointMetrics): void {
  app.decorateRequest('receivedAt', 0);
  app.addHook('onRequest', stampArrival);
  app.addHook('onRoute', (route) => {
    const metrics = endpoints.forRoute(route.url);
    if (route.config?.hijacksReply) route.onRequest = [...hooks(route.onRequest), whenClosed(metrics)];
    else route.onSend = [...hooks(route.onSend), whenReady(metrics)];
  });
}

/** The `onSend` hook for the not-found handler's context: requests no route matched. */
export function recordUnmatched(endpoints: EndpointMetrics): onSendHookHandler {
  return whenReady(endpoints.forRoute(UNMATCHED));
}

function hooks<T>(existing: T | T[] | undefined): T[] {
  return existing === undefined ? [] : ([existing].flat() as T[]);
}

function whenReady(metrics: RouteMetrics): onSendHookHandler {
  return (request, reply, payload, done) => {
    metrics.record(request.method, reply.statusCode, performance.now() - request.receivedAt);
    done(null, payload);
  };
}

function whenClosed(metrics: RouteMetrics): onRequestHookHandler {
  return (request, reply, done) => {
    reply.raw.once('close', () =>
      metrics.record(request.method, reply.statusCode, performance.now() - request.receivedAt),
    );
    done();
  };
}
