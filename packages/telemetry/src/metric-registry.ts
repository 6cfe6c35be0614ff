import {
  type Counter,
  createNoopMeter,
  type Gauge,
  type Histogram,
  type Meter,
  type MeterProvider,
  metrics,
  type UpDownCounter,
} from '@opentelemetry/api';
import { type ConventionalMetric, conventionalMetric } from './conventional-names';
import { type InstrumentKind, lettaMetrics, type MetricDefinition } from './metric-definitions';

/** The meter name Letta records its application metrics under. */
export const METER_NAME = 'letta.otel.metrics';

interface InstrumentByKind {
  counter: Counter;
  upDownCounter: UpDownCounter;
  histogram: Histogram;
  gauge: Gauge;
}

type LettaMetrics = typeof lettaMetrics;

/** Letta's application metrics, one instrument per property (e.g. `ttftMsHistogram` is `hist_ttft_ms`). */
export type MetricRegistry = {
  readonly [K in keyof LettaMetrics]: InstrumentByKind[LettaMetrics[K]['kind']];
};

type AnyInstrument = InstrumentByKind[InstrumentKind];

interface InstrumentOptions {
  unit: string;
  description: string;
  advice?: { explicitBucketBoundaries: number[] };
}

const create: {
  [K in InstrumentKind]: (meter: Meter, name: string, options: InstrumentOptions) => InstrumentByKind[K];
} = {
  counter: (meter, name, options) => meter.createCounter(name, options),
  upDownCounter: (meter, name, options) => meter.createUpDownCounter(name, options),
  histogram: (meter, name, options) => meter.createHistogram(name, options),
  gauge: (meter, name, options) => meter.createGauge(name, options),
};

export interface MetricRegistryOptions {
  /**
   * `letta` (the default) records under Letta's names, so Letta's dashboards work unchanged;
   * `conventional` records the few whose names break Prometheus' naming rules (`hist_endpoint_e2e_ms`,
   * `sse_duration_ms` and the other `_ms` histograms) under their `conventionalName` instead.
   */
  names?: 'letta' | 'conventional';
}

/**
 * Creates Letta's metric registry. Each instrument is created on first use. Without a `meter`, the
 * registry follows the global meter provider: an instrument is made again when the provider changes,
 * so a registry made before `setupTelemetry` records once it runs (Letta's stays a no-op forever).
 */
export function createMetricRegistry(meter?: Meter, options: MetricRegistryOptions = {}): MetricRegistry {
  const conventional = options.names === 'conventional';
  const registry = {};
  for (const [key, definition] of Object.entries(lettaMetrics) as Array<[string, MetricDefinition]>) {
    const metric = conventional ? conventionalMetric(definition) : { definition };
    Object.defineProperty(registry, key, { enumerable: true, get: lazyInstrument(metric, meter) });
  }
  return Object.freeze(registry) as MetricRegistry;
}

/** A getter holding one instrument, checked against the global provider on each access (a cheap identity test). */
function lazyInstrument(metric: ConventionalMetric, meter: Meter | undefined): () => AnyInstrument {
  const { name, kind, unit, description } = metric.definition;
  const options = { unit, description, ...(metric.advice ? { advice: metric.advice } : {}) };
  const { adapt } = metric;
  const make = (from: Meter): AnyInstrument => {
    const instrument = create[kind](from, name, options);
    return adapt && kind === 'histogram' ? adapt(instrument as Histogram) : instrument;
  };
  if (meter) {
    let instrument: AnyInstrument | undefined;
    return () => {
      instrument ??= make(meter);
      return instrument;
    };
  }
  let provider: MeterProvider | undefined;
  let instrument: AnyInstrument = make(createNoopMeter());
  return () => {
    const current = metrics.getMeterProvider();
    if (current !== provider) {
      provider = current;
      instrument = make(current.getMeter(METER_NAME));
    }
    return instrument;
  };
}
