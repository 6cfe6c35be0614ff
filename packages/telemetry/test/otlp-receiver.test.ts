import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { createMetricRegistry, setupTelemetry } from '@letta/telemetry';
import { metrics, trace } from '@opentelemetry/api';
import { type OtlpExport, startOtlpReceiver as startReceiver } from '@test/support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordingLogger, telemetryOptions } from './fixtures';

interface JsonMetric {
  name: string;
  unit?: string;
  sum?: { aggregationTemporality: number };
  histogram?: { aggregationTemporality: number };
}

function jsonMetrics(received: OtlpExport[]): JsonMetric[] {
  return received
    .filter((r) => r.path === '/v1/metrics')
    .flatMap((r) => JSON.parse(r.body.toString()).resourceMetrics)
    .flatMap((rm: { scopeMetrics: Array<{ metrics: JsonMetric[] }> }) =>
      rm.scopeMetrics.flatMap((sm) => sm.metrics),
    );
}

let server: Server | undefined;
afterEach(() => {
  server?.close();
  vi.unstubAllEnvs();
});

describe('OTLP export to a real receiver', () => {
  it('sends spans and metrics as OTLP/JSON on shutdown, with Letta delta temporality on counters and histograms only', async () => {
    const receiver = await startReceiver();
    server = receiver.server;
    vi.stubEnv('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/json');
    const telemetry = await setupTelemetry(telemetryOptions({ otelExporterOtlpEndpoint: receiver.endpoint }));
    expect(telemetry.enabled).toEqual({ traces: true, metrics: true, datadog: false });

    const registry = createMetricRegistry();
    registry.userMessageCounter.add(1);
    registry.llmExecutionTimeMsHistogram.record(12.5, { 'model.name': 'm' });
    registry.sseActiveSessionsCounter.add(1, { route_class: 'foreground' });
    // The JS "delta" preference would make this one delta too; Letta's rule keeps it cumulative.
    metrics
      .getMeter('test')
      .createObservableCounter('observed_total')
      .addCallback((result) => result.observe(7));
    trace.getTracer('test').startActiveSpan('agent.step', (span) => span.end());
    await telemetry.close();

    expect(receiver.received.map((r) => r.path).sort()).toEqual(['/v1/metrics', '/v1/traces']);
    const spans = JSON.parse(receiver.received.find((r) => r.path === '/v1/traces')?.body.toString() ?? '{}');
    expect(spans.resourceSpans[0].scopeSpans[0].spans[0].name).toBe('agent.step');

    const byName = Object.fromEntries(jsonMetrics(receiver.received).map((m) => [m.name, m]));
    const DELTA = 1;
    const CUMULATIVE = 2;
    expect(byName.count_user_message?.sum?.aggregationTemporality).toBe(DELTA);
    expect(byName.hist_llm_execution_time_ms?.histogram?.aggregationTemporality).toBe(DELTA);
    expect(byName.hist_llm_execution_time_ms?.unit).toBe('ms');
    expect(byName.sse_active_sessions?.sum?.aggregationTemporality).toBe(CUMULATIVE);
    expect(byName.observed_total?.sum?.aggregationTemporality).toBe(CUMULATIVE);
  });

  it('reports a rejected export to the logger, without the endpoint password', async () => {
    const receiver = await startReceiver(400);
    server = receiver.server;
    vi.stubEnv('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/json');
    const { lines, logger } = recordingLogger();
    const endpoint = receiver.endpoint.replace('http://', 'http://otel:collector-secret@');
    const telemetry = await setupTelemetry(telemetryOptions({ otelExporterOtlpEndpoint: endpoint }), {
      logger,
    });
    createMetricRegistry().userMessageCounter.add(1);
    await telemetry.close();
    expect(receiver.received.length).toBeGreaterThan(0);
    expect(lines.map((line) => line.message)).toContain(
      `PeriodicExportingMetricReader: metrics export failed (error TelemetryExportError: OTLP export to ${receiver.endpoint}v1/metrics failed: HTTP 400 Bad Request.)`,
    );
    expect(JSON.stringify(lines)).not.toContain('collector-secret');
  });

  it('bounds the final export at close: an unresponsive collector costs one warning', async () => {
    // Takes every request and never answers it.
    const silent = createServer(() => {});
    const sockets = new Set<Socket>();
    silent.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    vi.stubEnv('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/json');
    const { lines, logger } = recordingLogger();
    const telemetry = await setupTelemetry(
      telemetryOptions({ otelExporterOtlpEndpoint: `http://127.0.0.1:${port}` }),
      { logger },
    );
    createMetricRegistry().userMessageCounter.add(1);
    try {
      await telemetry.close({ timeoutMs: 300 });
      const warnings = lines.filter((line) => line.level === 'warn');
      expect(warnings.map((line) => line.message)).toEqual([
        'Telemetry did not finish its final export in time; what was left is dropped.',
      ]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('sends everything cumulative for Letta temporality 2', async () => {
    const receiver = await startReceiver();
    server = receiver.server;
    vi.stubEnv('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/json');
    const telemetry = await setupTelemetry(
      telemetryOptions({ otelExporterOtlpEndpoint: receiver.endpoint, otelPreferredTemporality: 2 }),
    );
    createMetricRegistry().userMessageCounter.add(1);
    await telemetry.close();
    const [metric] = jsonMetrics(receiver.received);
    expect(metric?.sum?.aggregationTemporality).toBe(2);
  });

  it('sends HTTP/protobuf by default to /v1/traces and /v1/metrics under the endpoint path', async () => {
    const receiver = await startReceiver();
    server = receiver.server;
    const telemetry = await setupTelemetry(
      telemetryOptions({ otelExporterOtlpEndpoint: `${receiver.endpoint}otlp/` }),
    );
    createMetricRegistry().toolExecutionCounter.add(1, { 'tool.name': 'search' });
    trace.getTracer('test').startSpan('tool.call').end();
    await telemetry.close();

    const metricsExport = receiver.received.find((r) => r.path === '/otlp/v1/metrics');
    const tracesExport = receiver.received.find((r) => r.path === '/otlp/v1/traces');
    expect(metricsExport?.contentType).toBe('application/x-protobuf');
    // Protobuf keeps strings as raw UTF-8, so the names can be found in the bytes.
    expect(metricsExport?.body.includes('count_tool_execution')).toBe(true);
    expect(metricsExport?.body.includes('search')).toBe(true);
    expect(tracesExport?.body.includes('tool.call')).toBe(true);
  });
});

describe('OTLP export over gRPC', () => {
  it('delivers both signals to a gRPC collector on shutdown, from a scheme-less endpoint', async () => {
    const received: Array<{ path: string; body: Buffer }> = [];
    const grpcServer = new grpc.Server();
    const raw = (path: string) => ({
      path,
      requestStream: false,
      responseStream: false,
      requestSerialize: (value: Buffer) => value,
      requestDeserialize: (value: Buffer) => value,
      responseSerialize: (value: Buffer) => value,
      responseDeserialize: (value: Buffer) => value,
    });
    const accept: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
      received.push({ path: call.getPath(), body: call.request });
      callback(null, Buffer.alloc(0));
    };
    const tracesPath = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
    const metricsPath = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';
    grpcServer.addService({ [tracesPath]: raw(tracesPath) }, { [tracesPath]: accept });
    grpcServer.addService({ [metricsPath]: raw(metricsPath) }, { [metricsPath]: accept });
    const port = await new Promise<number>((resolve, reject) =>
      grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    try {
      vi.stubEnv('OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc');
      const telemetry = await setupTelemetry(
        telemetryOptions({ otelExporterOtlpEndpoint: `127.0.0.1:${port}` }),
      );
      createMetricRegistry().providerTimeoutCounter.add(1, { provider: 'openai' });
      trace.getTracer('test').startSpan('redis.get').end();
      await telemetry.close();
    } finally {
      grpcServer.forceShutdown();
    }
    expect(received.map((r) => r.path).sort()).toEqual([metricsPath, tracesPath]);
    expect(received.find((r) => r.path === metricsPath)?.body.includes('provider_timeout_total')).toBe(true);
    expect(received.find((r) => r.path === tracesPath)?.body.includes('redis.get')).toBe(true);
  });
});
