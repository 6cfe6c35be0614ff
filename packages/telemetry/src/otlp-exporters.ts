import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { loadExporter } from './load-exporter';
import { temporalitySelector } from './metric-temporality';
import { otlpHttpConfig } from './otlp-http-config';
import { OtlpHttpMetricExporter, OtlpHttpSpanExporter } from './otlp-http-exporters';
import type { OtlpTarget } from './otlp-target';
import type { LettaTemporality } from './temporality';

// OTLP/HTTP (protobuf and JSON) is built in. gRPC needs the official exporters, optional peer
// dependencies imported only when gRPC is chosen, so a process on HTTP never loads them.

/** An OTLP span exporter for the target's protocol; headers, timeout and compression come from `OTEL_*`. */
export async function createSpanExporter(
  { protocol, url }: OtlpTarget,
  warn: (message: string) => void,
): Promise<SpanExporter> {
  if (protocol !== 'grpc') return new OtlpHttpSpanExporter(otlpHttpConfig(url, 'traces', warn), protocol);
  const { OTLPTraceExporter } = await loadExporter(
    '@opentelemetry/exporter-trace-otlp-grpc',
    'Exporting traces over OTLP grpc',
    () => import('@opentelemetry/exporter-trace-otlp-grpc'),
  );
  return new OTLPTraceExporter({ url });
}

/** An OTLP metric exporter for the target's protocol with Letta's temporality mapped explicitly. */
export async function createMetricExporter(
  { protocol, url }: OtlpTarget,
  temporality: LettaTemporality | null,
  warn: (message: string) => void,
): Promise<PushMetricExporter> {
  if (protocol !== 'grpc') {
    const selector = temporalitySelector(temporality, warn);
    return new OtlpHttpMetricExporter(otlpHttpConfig(url, 'metrics', warn), protocol, selector);
  }
  const { OTLPMetricExporter } = await loadExporter(
    '@opentelemetry/exporter-metrics-otlp-grpc',
    'Exporting metrics over OTLP grpc',
    () => import('@opentelemetry/exporter-metrics-otlp-grpc'),
  );
  return new OTLPMetricExporter({ url, temporalityPreference: grpcTemporalityPreference(temporality) });
}

/**
 * The gRPC exporter's `AggregationTemporalityPreference` values, written out because that enum lives in
 * the HTTP/JSON exporter package (the values are part of the exporters' public API: DELTA 0,
 * CUMULATIVE 1, LOWMEMORY 2).
 */
const CUMULATIVE = 1;
const LOWMEMORY = 2;

/**
 * Letta's numbering as the gRPC exporter's preference: Letta's delta is the low-memory selector (see
 * `temporalitySelector`); unspecified leaves the choice to the exporter, which reads
 * `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`.
 */
function grpcTemporalityPreference(temporality: LettaTemporality | null) {
  if (temporality === 1) return LOWMEMORY;
  if (temporality === 2) return CUMULATIVE;
  return undefined;
}
