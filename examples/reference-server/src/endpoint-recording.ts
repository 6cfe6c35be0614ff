import type { EndpointMetrics } from '@letta/telemetry';
import type { onResponseHookHandler, onRouteHookHandler } from 'fastify';

/** The `endpoint_path` of a request no route matched, as Letta labels it. */
const UNMATCHED = 'unknown';

/**
 * An `onRoute` hook that gives each route an `onResponse` hook of its own, bound to the route's template
 * when the route is added: answering a request then costs one record, with no lookup of the route's
 * options (Fastify builds them anew on every read).
 */
export function recordEachRoute(endpoints: EndpointMetrics): onRouteHookHandler {
  return (route) => {
    const record = recordingHook(endpoints, route.url);
    const existing = route.onResponse;
    route.onResponse = existing === undefined ? [record] : [...[existing].flat(), record];
  };
}

/** The `onResponse` hook for the not-found handler's context: requests no route matched. */
export function recordUnmatched(endpoints: EndpointMetrics): onResponseHookHandler {
  return recordingHook(endpoints, UNMATCHED);
}

function recordingHook(endpoints: EndpointMetrics, route: string): onResponseHookHandler {
  const metrics = endpoints.forRoute(route);
  return (request, reply, done) => {
    metrics.record(request.method, reply.statusCode, reply.elapsedTime);
    done();
  };
}
