import type { Attributes, Span, TracerProvider } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The request headers Letta copies onto its request span, and the attributes they become. */
const headerAttributes = [
  ['user_id', 'user.id'],
  ['x-organization-id', 'organization.id'],
  ['x-project-id', 'project.id'],
  ['x-agent-id', 'agent.id'],
  ['x-template-id', 'template.id'],
  ['x-base-template-id', 'base_template.id'],
  ['user-agent', 'client'],
  ['x-stainless-package-version', 'sdk.version'],
  ['x-stainless-lang', 'sdk.language'],
  ['x-letta-source', 'source'],
] as const;

/**
 * A server span for every request, through `@fastify/otel`: the incoming W3C `traceparent` and
 * `tracestate` are continued, and the handler runs in the span's context, so database spans and log
 * lines belong to it. Only the request span is made (no span per hook or handler). Letta's names: the
 * span is `METHOD <route template>` and carries the request headers Letta copies and `http.<param>`
 * for each path parameter. Call it before the routes are registered.
 */
export async function traceRequests(app: FastifyInstance, tracerProvider: TracerProvider): Promise<void> {
  // Loaded only when tracing is on: a server without traces never loads the instrumentation packages.
  const { FastifyOtelInstrumentation } = await import('@fastify/otel');
  const instrumentation = new FastifyOtelInstrumentation({
    instrumentHooks: false,
    instrumentHandler: false,
    requestHook: nameAfterRoute,
  });
  instrumentation.setTracerProvider(tracerProvider);
  await app.register(instrumentation.plugin());
}

function nameAfterRoute(span: Span, request: FastifyRequest): void {
  const route = request.routeOptions.url;
  // An unmatched path is left out of the name: every scanner probe would otherwise name a span.
  span.updateName(route ? `${request.method} ${route}` : request.method);
  const attributes: Attributes = {};
  for (const [header, attribute] of headerAttributes) {
    const value = request.headers[header];
    if (typeof value === 'string' && value !== '') attributes[attribute] = value;
  }
  for (const [name, value] of Object.entries((request.params ?? {}) as Record<string, unknown>)) {
    if (typeof value === 'string') attributes[`http.${name}`] = value;
  }
  span.setAttributes(attributes);
}
