import type { AggregationTemporality, InstrumentType } from '@opentelemetry/sdk-metrics';
import type { LettaTemporality } from './temporality';

// The SDK's enum values (part of its public API), written out because only its types are imported here.
const DELTA = 0 as AggregationTemporality.DELTA;
const CUMULATIVE = 1 as AggregationTemporality.CUMULATIVE;

/** The instruments each OpenTelemetry temporality preference makes delta; the rest stay cumulative. */
const deltaInstruments: Record<string, readonly string[]> = {
  cumulative: [],
  delta: ['COUNTER', 'OBSERVABLE_COUNTER', 'GAUGE', 'HISTOGRAM', 'OBSERVABLE_GAUGE'],
  lowmemory: ['COUNTER', 'HISTOGRAM'],
};

const PREFERENCE_VARIABLE = 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE';

/**
 * The temporality an OTLP metric exporter asks for, per instrument. Letta's delta (1) makes only
 * Counters and Histograms delta, which is OpenTelemetry's low-memory preference; cumulative (2) makes
 * everything cumulative; unspecified leaves the choice to `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`
 * (default cumulative), as the OpenTelemetry exporters read it.
 */
export function temporalitySelector(
  temporality: LettaTemporality | null,
  warn: (message: string) => void,
): (instrumentType: InstrumentType) => AggregationTemporality {
  const delta = new Set(deltaInstruments[preference(temporality, warn)]);
  return (instrumentType) => (delta.has(instrumentType) ? DELTA : CUMULATIVE);
}

function preference(temporality: LettaTemporality | null, warn: (message: string) => void): string {
  if (temporality === 1) return 'lowmemory';
  if (temporality === 2) return 'cumulative';
  const value = process.env[PREFERENCE_VARIABLE]?.trim().toLowerCase();
  if (!value) return 'cumulative';
  if (value in deltaInstruments) return value;
  warn(
    `${PREFERENCE_VARIABLE} is "${value}", which is not one of cumulative, delta, lowmemory; using cumulative.`,
  );
  return 'cumulative';
}
