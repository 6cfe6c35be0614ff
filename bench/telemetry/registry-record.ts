// Registry record calls against the bare OTel API (an instrument made directly from the same meter),
// with telemetry off (no-op global) and on (an SDK meter provider registered by setupTelemetry).
import { createMetricRegistry, setupTelemetry } from '@letta/telemetry';
import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { type Case, measure, report } from './measure';

const attributes = { route_class: 'foreground' };

function cases(label: string): Case[] {
  const meter = metrics.getMeterProvider().getMeter('bench');
  const bareCounter = meter.createCounter('bare_counter');
  const bareHistogram = meter.createHistogram('bare_histogram');
  const registry = createMetricRegistry();
  return [
    [`${label}: bare API counter.add`, () => bareCounter.add(1, attributes)],
    [`${label}: registry counter.add`, () => registry.requestTimeoutCounter.add(1, attributes)],
    [`${label}: bare API histogram.record`, (i) => bareHistogram.record(i % 500, attributes)],
    [
      `${label}: registry histogram.record`,
      (i) => registry.sseDurationMsHistogram.record(i % 500, attributes),
    ],
  ];
}

const off = measure(cases('off'));
const telemetry = await setupTelemetry(
  { otlpEndpoint: null, disableTracing: false, preferredTemporality: 1, environment: null, datadog: null },
  {
    metricReaders: [
      new PeriodicExportingMetricReader({
        exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
        exportIntervalMillis: 3_600_000,
      }),
    ],
  },
);
const on = measure(cases('on'));
await telemetry.close();

const pick = (results: Array<[string, number]>, ...indexes: number[]) =>
  indexes.map((i) => results[i] as [string, number]);
report('counter, telemetry off (baseline: bare API)', pick(off, 0, 1));
report('histogram, telemetry off (baseline: bare API)', pick(off, 2, 3));
report('counter, telemetry on (baseline: bare API)', pick(on, 0, 1));
report('histogram, telemetry on (baseline: bare API)', pick(on, 2, 3));
