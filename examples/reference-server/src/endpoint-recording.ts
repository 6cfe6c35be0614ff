import type { EndpointMetrics, RouteMetrics } from '@letta/telemetry';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  onSendHookHandler,
  RouteOptions,
} from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** When the request arrived (`performance.now()`), for the endpoint metrics. */
    receivedAt: number;
  }
  interface FastifyContextConfig {
    /** The handler may hijack the reply and write the response itself (a stream): then no `onSend` runs. */
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
 * handler may hijack the reply (`config: { hijacksReply: true }`, a stream) records a hijacked response
 * when it closes, whether it ended or its client went away.
 */
export function recordEndpoints(app: FastifyInstance, endpoints: EndpointMetrics): void {
  app.decorateRequest('receivedAt', 0);
  app.addHook('onRequest', stampArrival);
  app.addHook('onRoute', (route) => {
    const metrics = endpoints.forRoute(route.url);
    if (route.config?.hijacksReply) recordHijackingRoute(route, metrics);
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

function record(metrics: RouteMetrics, request: FastifyRequest, reply: FastifyReply): void {
  metrics.record(request.method, reply.statusCode, performance.now() - request.receivedAt);
}

function whenReady(metrics: RouteMetrics): onSendHookHandler {
  return (request, reply, payload, done) => {
    record(metrics, request, reply);
    done(null, payload);
  };
}

/**
 * What such a route sends (a 401, a 422) is recorded on send like any other; a reply its handler hijacks
 * never reaches `onSend`, and is recorded when its response closes. The listener is added by the route's
 * own `onRequest` hook, which a request answered by an earlier hook never reaches.
 */
function recordHijackingRoute(route: RouteOptions, metrics: RouteMetrics): void {
  const sent = new WeakSet<FastifyRequest>();
  const recordSent: onSendHookHandler = (request, reply, payload, done) => {
    sent.add(request);
    record(metrics, request, reply);
    done(null, payload);
  };
  const recordHijackedOnClose: onRequestHookHandler = (request, reply, done) => {
    reply.raw.once('close', () => {
      if (!sent.has(request)) record(metrics, request, reply);
    });
    done();
  };
  route.onSend = [...hooks(route.onSend), recordSent];
  route.onRequest = [...hooks(route.onRequest), recordHijackedOnClose];
}
