import {
  createMetricRegistry,
  lettaMetrics,
  requestContextAttributes,
  requestContextFromHeaders,
  runWithRequestContext,
} from '@letta/telemetry';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';

function meterWithReader() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ readers: [reader] });
  return { exporter, reader, meter: provider.getMeter('test') };
}

describe('createMetricRegistry', () => {
  it('creates every Letta metric with its name, instrument type and unit', async () => {
    const { exporter, reader, meter } = meterWithReader();
    const registry = createMetricRegistry(meter);
    for (const [key, definition] of Object.entries(lettaMetrics)) {
      const instrument = registry[key as keyof typeof registry];
      if ('add' in instrument) instrument.add(1);
      else instrument.record(1);
      expect(definition.name).toMatch(/^[a-z0-9_]+$/);
    }
    await reader.forceFlush();
    const exported = exporter.getMetrics()[0]?.scopeMetrics[0]?.metrics ?? [];
    const seen = Object.fromEntries(exported.map((m) => [m.descriptor.name, m.descriptor]));
    expect(Object.keys(seen)).toHaveLength(Object.keys(lettaMetrics).length);
    expect(seen.hist_ttft_ms).toMatchObject({ type: 'HISTOGRAM', unit: 'ms' });
    expect(seen.hist_file_process_bytes).toMatchObject({ type: 'HISTOGRAM', unit: 'By' });
    expect(seen.hist_message_cost_usd).toMatchObject({ unit: 'usd' });
    expect(seen.count_user_message).toMatchObject({ type: 'COUNTER', unit: '1' });
    expect(seen.in_flight_foreground).toMatchObject({ type: 'UP_DOWN_COUNTER' });
    expect(seen.readiness_state).toMatchObject({ type: 'GAUGE' });
  });

  it('hands out the same instrument on every access', () => {
    const registry = createMetricRegistry(meterWithReader().meter);
    expect(registry.ttftMsHistogram).toBe(registry.ttftMsHistogram);
  });
});

describe('request context', () => {
  it('merges nested context and call-site attributes, and is empty outside a request', async () => {
    expect(requestContextAttributes()).toEqual({});
    const headers = {
      'x-organization-id': 'org-1',
      'x-agent-id': ['agent-1', 'agent-2'],
      'x-project-id': undefined,
    };
    await runWithRequestContext(requestContextFromHeaders(headers), async () => {
      await Promise.resolve();
      runWithRequestContext({ 'agent.id': 'agent-9' }, () => {
        expect(requestContextAttributes({ 'tool.name': 'search' })).toEqual({
          'organization.id': 'org-1',
          'agent.id': 'agent-9',
          'tool.name': 'search',
        });
      });
      expect(requestContextAttributes()).toEqual({ 'organization.id': 'org-1', 'agent.id': 'agent-1' });
    });
    expect(requestContextAttributes({ 'tool.name': 'x' })).toEqual({ 'tool.name': 'x' });
  });

  it('carries the context into recorded metric attributes', async () => {
    const { exporter, reader, meter } = meterWithReader();
    const registry = createMetricRegistry(meter);
    runWithRequestContext({ 'organization.id': 'org-7' }, () => {
      registry.toolExecutionCounter.add(1, requestContextAttributes({ 'tool.name': 'send_message' }));
    });
    await reader.forceFlush();
    const point = exporter.getMetrics()[0]?.scopeMetrics[0]?.metrics[0]?.dataPoints[0];
    expect(point?.attributes).toEqual({ 'organization.id': 'org-7', 'tool.name': 'send_message' });
  });
});
