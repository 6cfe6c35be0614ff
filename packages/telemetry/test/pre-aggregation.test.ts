import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boundInstrumentsOf } from '@letta/core';
import { setupTelemetry, type Telemetry } from '@letta/telemetry';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { requireProgram, runPromtool } from '@test/support';
import { afterEach, describe, expect, it } from 'vitest';
import { telemetryOptions } from './fixtures';

const SCOPE = { name: 'pre-aggregation-test', version: '1.0.0' };
const BOUNDARIES = [0.001, 0.01, 0.1, 1];
const VALUES = [0.0005, 0.001, 0.002, 0.05, 0.05, 0.7, 3, 0.01];
const ATTRIBUTES = { 'db.system.name': 'redis', 'db.operation.name': 'GET' };

let telemetry: Telemetry | undefined;
afterEach(async () => {
  await telemetry?.close();
  telemetry = undefined;
});

/** The sample lines of one metric family, with its name replaced so two families compare equal. */
function samples(body: string, name: string): string[] {
  return body
    .split('\n')
    .filter((line) => line.startsWith(name) || line.includes(` ${name}`))
    .map((line) => line.replaceAll(name, 'METRIC'));
}

/** `promtool check metrics` on an exposition: its complaints, or `null` when promtool is not installed. */
async function promtoolProblems(body: string): Promise<string | null> {
  const promtool = requireProgram('promtool', 'apt-get install prometheus');
  if (promtool === null) return null;
  const dir = mkdtempSync(join(tmpdir(), 'letta-pre-aggregation-'));
  try {
    writeFileSync(join(dir, 'metrics.txt'), body);
    const check = await runPromtool('sh', ['-c', `"${promtool}" check metrics < metrics.txt`], dir);
    return check.code === 0 ? '' : check.output;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('pre-aggregated instruments', () => {
  it('scrape at the Prometheus exporter exactly like the SDK histogram and counter fed the same values', async () => {
    telemetry = await setupTelemetry(telemetryOptions(), {
      prometheus: { withoutTargetInfo: true },
      registerGlobal: false,
    });
    const bound = boundInstrumentsOf(telemetry.meterProvider);
    if (!bound) throw new Error('setupTelemetry gave a meter provider without bound instruments');
    const meter = telemetry.meterProvider.getMeter(SCOPE.name, SCOPE.version);
    const options = { unit: 's', description: 'Duration of test operations.' };
    const direct = meter.createHistogram('direct_duration', {
      ...options,
      advice: { explicitBucketBoundaries: BOUNDARIES },
    });
    const hot = bound.histogram(SCOPE, 'hot_duration', { ...options, boundaries: BOUNDARIES }, ATTRIBUTES);
    const directCount = meter.createCounter('direct_calls_total', { unit: '1', description: 'Calls.' });
    const hotCount = bound.counter(
      SCOPE,
      'hot_calls_total',
      { unit: '1', description: 'Calls.' },
      ATTRIBUTES,
    );
    for (const value of VALUES) {
      direct.record(value, ATTRIBUTES);
      hot.record(value);
      directCount.add(2, ATTRIBUTES);
      hotCount.add(2);
    }

    const scrape = await telemetry.prometheus?.scrape();
    const body = scrape?.body ?? '';
    const hotLines = samples(body, 'hot_duration');
    expect(hotLines.length).toBeGreaterThan(BOUNDARIES.length + 2);
    expect(hotLines).toEqual(samples(body, 'direct_duration'));
    expect(hotLines.find((line) => line.includes('le="+Inf"'))).toMatch(/ 8$/);
    expect(samples(body, 'hot_calls_total')).toEqual(samples(body, 'direct_calls_total'));
    expect(samples(body, 'hot_calls_total').at(-1)).toMatch(/ 16$/);
    expect((await promtoolProblems(body)) ?? '').toBe('');
  });

  it('hands a delta reader only what was recorded since its last collection, as the SDK does', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    let reader: PeriodicExportingMetricReader | undefined;
    telemetry = await setupTelemetry(telemetryOptions(), {
      registerGlobal: false,
      metricReaders: [
        (producer) =>
          (reader = new PeriodicExportingMetricReader({
            exporter,
            exportIntervalMillis: 3_600_000,
            metricProducers: [producer],
          })),
      ],
    });
    const bound = boundInstrumentsOf(telemetry.meterProvider);
    if (!bound) throw new Error('a reader built from the producer should keep bound instruments on');
    const meter = telemetry.meterProvider.getMeter(SCOPE.name, SCOPE.version);
    const direct = meter.createHistogram('direct_duration', {
      advice: { explicitBucketBoundaries: BOUNDARIES },
    });
    const hot = bound.histogram(
      SCOPE,
      'hot_duration',
      { unit: '', description: '', boundaries: BOUNDARIES },
      ATTRIBUTES,
    );
    const flush = async () => {
      exporter.reset();
      await reader?.forceFlush();
      const metrics = exporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
      const values = (name: string) => {
        const metric = metrics.find((m) => m.descriptor.name === name) as MetricData | undefined;
        if (!metric || metric.dataPointType !== DataPointType.HISTOGRAM) return null;
        expect(metric.aggregationTemporality).toBe(AggregationTemporality.DELTA);
        return metric.dataPoints.map(({ attributes, value }) => ({
          attributes,
          counts: value.buckets.counts,
          count: value.count,
          sum: value.sum,
        }));
      };
      return { hot: values('hot_duration'), direct: values('direct_duration') };
    };

    for (const value of VALUES.slice(0, 5)) {
      direct.record(value, ATTRIBUTES);
      hot.record(value);
    }
    const first = await flush();
    expect(first.hot?.[0]?.count).toBe(5);
    expect(first.hot).toEqual(first.direct);

    for (const value of VALUES.slice(5)) {
      direct.record(value, ATTRIBUTES);
      hot.record(value);
    }
    const second = await flush();
    expect(second.hot?.[0]?.count).toBe(3);
    expect(second.hot?.[0]?.sum).toBeCloseTo(second.direct?.[0]?.sum ?? Number.NaN, 12);
    expect(second.hot?.map(({ counts, count }) => ({ counts, count }))).toEqual(
      second.direct?.map(({ counts, count }) => ({ counts, count })),
    );

    // Nothing recorded since: the SDK reports no point, and neither does the producer.
    expect((await flush()).hot).toBeNull();
  });

  it('shares the totals of one scope, name and attribute set bound twice', async () => {
    telemetry = await setupTelemetry(telemetryOptions(), {
      prometheus: { withoutTargetInfo: true },
      registerGlobal: false,
    });
    const bound = boundInstrumentsOf(telemetry.meterProvider);
    const options = { unit: '1', description: 'Calls.' };
    bound?.counter(SCOPE, 'calls_total', options, { a: '1', b: '2' }).add(1);
    bound?.counter(SCOPE, 'calls_total', options, { b: '2', a: '1' }).add(1);
    const body = (await telemetry.prometheus?.scrape())?.body ?? '';
    expect(body.split('\n').filter((line) => line.startsWith('calls_total{'))).toEqual([
      expect.stringMatching(/ 2$/),
    ]);
    expect(() => bound?.histogram(SCOPE, 'calls_total', { ...options, boundaries: [1] }, {})).toThrow(
      /already bound as a counter/,
    );
  });

  it('is off when a reader is given as an object, so its reader still sees every instrument', async () => {
    telemetry = await setupTelemetry(telemetryOptions(), {
      registerGlobal: false,
      metricReaders: [new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(0) })],
    });
    expect(telemetry.enabled.metrics).toBe(true);
    expect(boundInstrumentsOf(telemetry.meterProvider)).toBeNull();
  });
});
