import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { OtlpTarget } from './otlp-target';
import type { LettaTemporality } from './temporality';

// Each exporter is imported only when its protocol is chosen, so a process with OTLP off (or on HTTP)
// never loads gRPC.

/** An OTLP span exporter for the target's protocol; headers, timeout and compression come from `OTEL_*`. */
export async function createSpanExporter({ protocol, url }: OtlpTarget): Promise<SpanExporter> {
  switch (protocol) {
    case 'grpc':
      return new (await import('@opentelemetry/exporter-trace-otlp-grpc')).OTLPTraceExporter({ url });
    case 'http/json':
      return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({ url });
    case 'http/protobuf':
      return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter({ url });
  }
}

/** An OTLP metric exporter for the target's protocol with Letta's temporality mapped explicitly. */
export async function createMetricExporter(
  { protocol, url }: OtlpTarget,
  temporality: LettaTemporality | null,
): Promise<PushMetricExporter> {
  const options = { url, temporalityPreference: await temporalityPreference(temporality) };
  switch (protocol) {
    case 'grpc':
      return new (await import('@opentelemetry/exporter-metrics-otlp-grpc')).OTLPMetricExporter(options);
    case 'http/json':
      return new (await import('@opentelemetry/exporter-metrics-otlp-http')).OTLPMetricExporter(options);
    case 'http/protobuf':
      return new (await import('@opentelemetry/exporter-metrics-otlp-proto')).OTLPMetricExporter(options);
  }
}

/**
 * Maps Letta's numbering onto the JS exporter's preference. The numbers cannot pass through unchanged:
 * in JS 1 means cumulative and 2 means low-memory. Letta makes only Counters and Histograms delta and
 * keeps every other instrument cumulative, which is exactly the JS low-memory selector. Unspecified
 * leaves the choice to `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE` (default cumulative).
 */
async function temporalityPreference(temporality: LettaTemporality | null) {
  const { AggregationTemporalityPreference } = await import('@opentelemetry/exporter-metrics-otlp-http');
  if (temporality === 1) return AggregationTemporalityPreference.LOWMEMORY;
  if (temporality === 2) return AggregationTemporalityPreference.CUMULATIVE;
  return undefined;
}
