import { createMetricRegistry, setupTelemetry, type Telemetry } from '@letta/telemetry';
import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { telemetryOptions } from './fixtures';

function inMemory() {
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 60_000,
  });
  const spanExporter = new InMemorySpanExporter();
  return {
    metricExporter,
    reader,
    spanExporter,
    processor: new SimpleSpanProcessor({ exporter: spanExporter }),
  };
}

function metricNames(resourceMetrics: ResourceMetrics[]): string[] {
  return resourceMetrics.flatMap((rm) =>
    rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.descriptor.name)),
  );
}

let telemetry: Telemetry | undefined;
afterEach(async () => {
  await telemetry?.close();
  telemetry = undefined;
  vi.unstubAllEnvs();
});

describe('setupTelemetry', () => {
  it('stays off without an endpoint: no-op providers, nothing registered, nothing exported', async () => {
    telemetry = await setupTelemetry(telemetryOptions());
    expect(telemetry.enabled).toEqual({ traces: false, metrics: false, datadog: false });
    expect(telemetry.prometheus).toBeNull();

    const meterProvider = metrics.getMeterProvider();
    createMetricRegistry().userMessageCounter.add(1);
    trace.getTracer('t').startSpan('s').end();
    expect(metrics.getMeterProvider()).toBe(meterProvider);
    expect(trace.getTracer('t').startSpan('s').isRecording()).toBe(false);
  });

  it('stays off when tracing is disabled, even with an endpoint (Letta turns off both signals)', async () => {
    telemetry = await setupTelemetry(
      telemetryOptions({ otelExporterOtlpEndpoint: 'http://127.0.0.1:4318', disableTracing: true }),
    );
    expect(telemetry.enabled).toEqual({ traces: false, metrics: false, datadog: false });
  });

  it('records metrics and spans into injected readers and processors, with the resource set', async () => {
    vi.stubEnv('ENV_NAME', 'Canary');
    vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', 'team=agents');
    const memory = inMemory();
    telemetry = await setupTelemetry(telemetryOptions({ environment: 'DEVELOPMENT' }), {
      serviceVersion: '1.2.3',
      metricReaders: [memory.reader],
      spanProcessors: [memory.processor],
    });
    expect(telemetry.enabled).toEqual({ traces: true, metrics: true, datadog: false });

    createMetricRegistry().ttftMsHistogram.record(42, { 'model.name': 'gpt' });
    trace.getTracer('test').startActiveSpan('work', (span) => span.end());
    await memory.reader.forceFlush();

    const exported = memory.metricExporter.getMetrics();
    expect(metricNames(exported)).toEqual(['hist_ttft_ms']);
    const [span] = memory.spanExporter.getFinishedSpans();
    expect(span?.name).toBe('work');
    const attributes = span?.resource.attributes ?? {};
    expect(attributes).toMatchObject({
      'service.name': 'letta-server-canary',
      'service.version': '1.2.3',
      'deployment.environment': 'dev',
      team: 'agents',
    });
    expect(typeof attributes['host.name']).toBe('string');
    expect(Object.keys(attributes).filter((key) => key.startsWith('device.'))).toEqual([]);
  });

  it('lets the service name option win over OTEL_SERVICE_NAME, which wins over ENV_NAME', async () => {
    vi.stubEnv('ENV_NAME', 'prod');
    vi.stubEnv('OTEL_SERVICE_NAME', 'from-env');
    const first = inMemory();
    telemetry = await setupTelemetry(telemetryOptions(), { spanProcessors: [first.processor] });
    trace.getTracer('t').startSpan('a').end();
    expect(first.spanExporter.getFinishedSpans()[0]?.resource.attributes['service.name']).toBe('from-env');
    await telemetry.close();

    const second = inMemory();
    telemetry = await setupTelemetry(telemetryOptions(), {
      serviceName: 'api',
      spanProcessors: [second.processor],
    });
    trace.getTracer('t').startSpan('b').end();
    expect(second.spanExporter.getFinishedSpans()[0]?.resource.attributes['service.name']).toBe('api');
  });

  it('makes a registry created before setup record once setup runs', async () => {
    const registry = createMetricRegistry();
    registry.userMessageCounter.add(5);

    const memory = inMemory();
    telemetry = await setupTelemetry(telemetryOptions(), { metricReaders: [memory.reader] });
    registry.userMessageCounter.add(2);
    await memory.reader.forceFlush();

    const [point] =
      memory.metricExporter
        .getMetrics()[0]
        ?.scopeMetrics[0]?.metrics.find((m) => m.descriptor.name === 'count_user_message')?.dataPoints ?? [];
    expect(point?.value).toBe(2);
  });

  it('shuts down idempotently, flushing and unregistering the global providers', async () => {
    const memory = inMemory();
    telemetry = await setupTelemetry(telemetryOptions(), { metricReaders: [memory.reader] });
    expect(metrics.getMeterProvider()).toBe(telemetry.meterProvider);
    createMetricRegistry().requestTimeoutCounter.add(1, { route_class: 'foreground' });

    await Promise.all([telemetry.close(), telemetry.close()]);
    await telemetry.close();
    expect(metricNames(memory.metricExporter.getMetrics())).toEqual(['request_timeout_total']);
    expect(metrics.getMeterProvider()).not.toBe(telemetry.meterProvider);
  });

  it('leaves the globals alone with registerGlobal: false', async () => {
    const memory = inMemory();
    const before = metrics.getMeterProvider();
    telemetry = await setupTelemetry(telemetryOptions(), {
      metricReaders: [memory.reader],
      registerGlobal: false,
    });
    expect(metrics.getMeterProvider()).toBe(before);

    createMetricRegistry(telemetry.meterProvider.getMeter('explicit')).executorBacklogGauge.record(3);
    await memory.reader.forceFlush();
    expect(metricNames(memory.metricExporter.getMetrics())).toEqual(['executor_backlog']);
  });

  it('honours OTEL_SDK_DISABLED=true as the SDK does', async () => {
    vi.stubEnv('OTEL_SDK_DISABLED', 'true');
    const memory = inMemory();
    telemetry = await setupTelemetry(
      telemetryOptions({ otelExporterOtlpEndpoint: 'http://127.0.0.1:4318' }),
      {
        metricReaders: [memory.reader],
      },
    );
    expect(telemetry.enabled.metrics).toBe(false);
  });
});
