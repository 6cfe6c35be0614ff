import {
  createEndpointMetrics,
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

  it('records under conventional names on request, millisecond histograms converted to seconds', async () => {
    const { exporter, reader, meter } = meterWithReader();
    const registry = createMetricRegistry(meter, { names: 'conventional' });
    registry.endpointE2eMsHistogram.record(250);
    registry.sseDurationMsHistogram.record(1500);
    registry.userMessageCounter.add(1);
    await reader.forceFlush();
    const exported = exporter.getMetrics()[0]?.scopeMetrics[0]?.metrics ?? [];
    const byName = Object.fromEntries(exported.map((m) => [m.descriptor.name, m]));
    expect(Object.keys(byName).sort()).toEqual([
      'count_user_message',
      'letta.endpoint.e2e.seconds',
      'letta.sse.duration.seconds',
    ]);
    const e2e = byName['letta.endpoint.e2e.seconds'];
    expect(e2e?.descriptor.unit).toBe('s');
    expect(e2e?.dataPoints[0]?.value).toMatchObject({ sum: 0.25, count: 1 });
    expect(byName['letta.sse.duration.seconds']?.dataPoints[0]?.value).toMatchObject({ sum: 1.5 });
    // The same boundaries as Letta's millisecond histogram, in seconds.
    expect(e2e?.dataPoints[0]?.value).toMatchObject({
      buckets: { boundaries: expect.arrayContaining([0.005, 10]) },
    });
  });

  it('records endpoint latency in seconds under its conventional name on request', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const endpoints = createEndpointMetrics(new MeterProvider({ readers: [reader] }), {
      names: 'conventional',
    });
    endpoints.record('/v1/agents', 'GET', 200, 40);
    await reader.forceFlush();
    const exported = exporter.getMetrics()[0]?.scopeMetrics[0]?.metrics ?? [];
    const e2e = exported.find((m) => m.descriptor.name === 'letta.endpoint.e2e.seconds');
    expect(e2e?.descriptor.unit).toBe('s');
    expect(e2e?.dataPoints[0]?.value).toMatchObject({ sum: 0.04, count: 1 });
    expect(exported.map((m) => m.descriptor.name)).not.toContain('hist_endpoint_e2e_ms');
  });

  it('counts and times each route per method and status, through record and forRoute alike', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const endpoints = createEndpointMetrics(new MeterProvider({ readers: [reader] }));
    const agent = endpoints.forRoute('/v1/agents/:agentId');
    expect(endpoints.forRoute('/v1/agents/:agentId')).toBe(agent);
    agent.record('GET', 200, 4);
    agent.record('GET', 200, 30);
    agent.record('GET', 404, 1);
    endpoints.record('/v1/agents/:agentId', 'GET', 200, 6);
    endpoints.record('/v1/agents/:agentId', 'DELETE', 204, 2);
    endpoints.record('/v1/health/', 'GET', 200, 1);
    await reader.forceFlush();
    const exported = exporter.getMetrics()[0]?.scopeMetrics[0]?.metrics ?? [];
    const points = (name: string) =>
      Object.fromEntries(
        (exported.find((m) => m.descriptor.name === name)?.dataPoints ?? []).map((point) => {
          const { endpoint_path, method, status_code } = point.attributes;
          const value = point.value;
          return [`${method} ${endpoint_path} ${status_code}`, typeof value === 'number' ? value : value.sum];
        }),
      );
    expect(points('count_endpoint_requests')).toEqual({
      'GET /v1/agents/:agentId 200': 3,
      'GET /v1/agents/:agentId 404': 1,
      'DELETE /v1/agents/:agentId 204': 1,
      'GET /v1/health/ 200': 1,
    });
    expect(points('hist_endpoint_e2e_ms')).toEqual({
      'GET /v1/agents/:agentId 200': 40,
      'GET /v1/agents/:agentId 404': 1,
      'DELETE /v1/agents/:agentId 204': 2,
      'GET /v1/health/ 200': 1,
    });
  });

  it('gives every millisecond histogram a conventional name, and only those', () => {
    for (const definition of Object.values(lettaMetrics) as Array<{
      name: string;
      conventionalName?: string;
    }>) {
      expect(definition.conventionalName !== undefined, definition.name).toBe(/_ms$/.test(definition.name));
    }
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
