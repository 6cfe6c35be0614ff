import { AggregationTemporality, InstrumentType } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { temporalitySelector } from '../src/metric-temporality';

const { DELTA, CUMULATIVE } = AggregationTemporality;
const instruments = Object.values(InstrumentType);

function temporalities(selector: (type: InstrumentType) => AggregationTemporality) {
  return Object.fromEntries(instruments.map((type) => [type, selector(type)]));
}

afterEach(() => vi.unstubAllEnvs());

describe('temporalitySelector', () => {
  it("makes only Counters and Histograms delta for Letta's 1, whatever the environment says", () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', 'cumulative');
    const selected = temporalities(temporalitySelector(1, expect.fail));
    expect(selected).toEqual({
      COUNTER: DELTA,
      HISTOGRAM: DELTA,
      GAUGE: CUMULATIVE,
      UP_DOWN_COUNTER: CUMULATIVE,
      OBSERVABLE_COUNTER: CUMULATIVE,
      OBSERVABLE_GAUGE: CUMULATIVE,
      OBSERVABLE_UP_DOWN_COUNTER: CUMULATIVE,
    });
  });

  it("makes everything cumulative for Letta's 2", () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', 'delta');
    expect(new Set(Object.values(temporalities(temporalitySelector(2, expect.fail))))).toEqual(
      new Set([CUMULATIVE]),
    );
  });

  it('follows OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE for unspecified: delta keeps up-down counters cumulative', () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', 'Delta');
    expect(temporalities(temporalitySelector(0, expect.fail))).toEqual({
      COUNTER: DELTA,
      HISTOGRAM: DELTA,
      GAUGE: DELTA,
      UP_DOWN_COUNTER: CUMULATIVE,
      OBSERVABLE_COUNTER: DELTA,
      OBSERVABLE_GAUGE: DELTA,
      OBSERVABLE_UP_DOWN_COUNTER: CUMULATIVE,
    });
  });

  it('warns about an unknown preference and uses cumulative', () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', 'sometimes');
    const warnings: string[] = [];
    const selector = temporalitySelector(null, (message) => warnings.push(message));
    expect(new Set(Object.values(temporalities(selector)))).toEqual(new Set([CUMULATIVE]));
    expect(warnings).toEqual([
      'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE is "sometimes", which is not one of cumulative, delta, lowmemory; using cumulative.',
    ]);
  });
});
