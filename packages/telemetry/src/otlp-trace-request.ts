import type { Link, SpanContext } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import { otlpAttributes, otlpResource, otlpScope, schemaUrl, unixNanos } from './otlp-common';
import type { OtlpMessage } from './otlp-encoding';

/** The `ExportTraceServiceRequest` for a batch: spans grouped by resource, then instrumentation scope. */
export function traceRequest(spans: readonly ReadableSpan[]): OtlpMessage {
  const byResource = new Map<Resource, Map<string, ReadableSpan[]>>();
  for (const span of spans) {
    const { name, version, schemaUrl } = span.instrumentationScope;
    const scopes = byResource.get(span.resource) ?? new Map<string, ReadableSpan[]>();
    byResource.set(span.resource, scopes);
    const key = `${name}@${version ?? ''}:${schemaUrl ?? ''}`;
    const scopeSpans = scopes.get(key);
    if (scopeSpans) scopeSpans.push(span);
    else scopes.set(key, [span]);
  }
  return {
    resourceSpans: [...byResource].map(([resource, scopes]) => ({
      resource: otlpResource(resource),
      scopeSpans: [...scopes.values()].map((scopeSpans) => {
        const scope = (scopeSpans[0] as ReadableSpan).instrumentationScope;
        return {
          scope: otlpScope(scope),
          spans: scopeSpans.map(otlpSpan),
          schemaUrl: schemaUrl(scope.schemaUrl),
        };
      }),
      schemaUrl: schemaUrl(resource.schemaUrl),
    })),
  };
}

function otlpSpan(span: ReadableSpan): OtlpMessage {
  const context = span.spanContext();
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    traceState: context.traceState?.serialize() || undefined,
    parentSpanId: span.parentSpanContext?.spanId || undefined,
    flags: spanFlags(context.traceFlags, span.parentSpanContext?.isRemote),
    name: span.name,
    // OTLP numbers the kinds from 1, keeping 0 for "unspecified", which the API does not have.
    kind: span.kind + 1,
    startTimeUnixNano: unixNanos(span.startTime),
    endTimeUnixNano: unixNanos(span.endTime),
    attributes: otlpAttributes(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map(otlpEvent),
    droppedEventsCount: span.droppedEventsCount,
    links: span.links.map(otlpLink),
    droppedLinksCount: span.droppedLinksCount,
    // The API's status codes are OTLP's: 0 unset, 1 ok, 2 error.
    status: { message: span.status.message || undefined, code: span.status.code },
  };
}

function otlpEvent(event: TimedEvent): OtlpMessage {
  return {
    timeUnixNano: unixNanos(event.time),
    name: event.name,
    attributes: otlpAttributes(event.attributes),
    droppedAttributesCount: event.droppedAttributesCount ?? 0,
  };
}

function otlpLink({ context, attributes, droppedAttributesCount }: Link): OtlpMessage {
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    traceState: context.traceState?.serialize() || undefined,
    attributes: otlpAttributes(attributes),
    droppedAttributesCount: droppedAttributesCount ?? 0,
    flags: spanFlags(context.traceFlags, context.isRemote),
  };
}

/** W3C trace flags in the low byte, then OTLP's "is-remote is known" (0x100) and "is remote" (0x200) bits. */
function spanFlags(traceFlags: SpanContext['traceFlags'], isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | 0x100 | (isRemote ? 0x200 : 0);
}
