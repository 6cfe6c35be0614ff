import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { loadExporter } from './load-exporter';
import type { OtlpTarget } from './otlp-target';
import type { LettaTemporality } from './temporality';

// Each exporter is an optional peer dependency, imported only when its protocol is chosen, so a process
// with OTLP off (or on HTTP) never loads gRPC, and a service installs only the exporters it uses.

/** An OTLP span exporter for the target's protocol; headers, timeout and compression come from `OTEL_*`. */
export async function createSpanExporter({ protocol, url }: OtlpTarget): Promise<SpanExporter> {
  const purpose = `Exporting traces over OTLP ${protocol}`;
  switch (protocol) {
    case 'grpc': {
      const name = '@opentelemetry/exporter-trace-otlp-grpc';
      const { OTLPTraceExporter } = await loadExporter(
        name,
        purpose,
        () => import('@opentelemetry/exporter-trace-otlp-grpc'),
      );
      return new OTLPTraceExporter({ url });
    }
    case 'http/json': {
      const name = '@opentelemetry/exporter-trace-otlp-http';
      const { OTLPTraceExporter } = await loadExporter(
        name,
        purpose,
        () => import('@opentelemetry/exporter-trace-otlp-http'),
      );
      return new OTLPTraceExporter({ url });
    }
    case 'http/protobuf': {
      const name = '@opentelemetry/exporter-trace-otlp-proto';
      const { OTLPTraceExporter } = await loadExporter(
        name,
        purpose,
        () => import('@opentelemetry/exporter-trace-otlp-proto'),
      );
      return new OTLPTraceExporter({ url });
    }
  }
}

/** An OTLP metric exporter for the target's protocol with Letta's temporality mapped explicitly. */
export async function createMetricExporter(
  { protocol, url }: OtlpTarget,
  temporality: LettaTemporality | null,
): Promise<PushMetricExporter> {
  const options = { url, temporalityPreference: temporalityPreference(temporality) };
  const purpose = `Exporting metrics over OTLP ${protocol}`;
  switch (protocol) {
    case 'grpc': {
      const name = '@opentelemetry/exporter-metrics-otlp-grpc';
      const { OTLPMetricExporter } = await loadExporter(
        name,
        purpose,
        () => import('@opentelemetry/exporter-metrics-otlp-grpc'),
      );
      return new OTLPMetricExporter(options);
    }
    case 'http/json': {
      const name = '@opentelemetry/exporter-metrics-otlp-http';
      const { OTLPMetricExporter } = await loadExporter(
        name,
        purpose,
        () => import('@opentelemetry/exporter-metrics-otlp-http'),
      );
      return new OTLPMetricExporter(options);
    }
    case 'http/protobuf': {
      const name = '@opentelemetry/exporter-metrics-otlp-proto';
      const { OTLPMetricExporter } = await loadExporter(
        name,
        purpose,
        () => import('@opentelemetry/exporter-metrics-otlp-proto'),
      );
      return new OTLPMetricExporter(options);
    }
  }
}

/**
 * The exporters' `AggregationTemporalityPreference` values, written out because that enum lives in the
 * HTTP/JSON exporter, which a service on gRPC or protobuf need not have installed (the values are part of
 * the exporters' public API: DELTA 0, CUMULATIVE 1, LOWMEMORY 2).
 */
const CUMULATIVE = 1;
const LOWMEMORY = 2;

/**
 * Maps Letta's numbering onto the JS exporter's preference. The numbers cannot pass through unchanged:
 * in JS 1 means cumulative and 2 means low-memory. Letta makes only Counters and Histograms delta and
 * keeps every other instrument cumulative, which is exactly the JS low-memory selector. Unspecified
 * leaves the choice to `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE` (default cumulative).
 */
function temporalityPreference(temporality: LettaTemporality | null) {
  if (temporality === 1) return LOWMEMORY;
  if (temporality === 2) return CUMULATIVE;
  return undefined;
}
