/**
 * What encoding one export costs: a batch of 512 spans (the batch processor's default) with attributes,
 * events and links, and one collection of metrics, encoded by @letta/telemetry's built-in OTLP/HTTP
 * exporter against the official OpenTelemetry serializers (the baseline), as protobuf and as JSON.
 */
import {
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { encodeOtlp } from '../../packages/telemetry/src/otlp-encoding';
import { metricsRequest } from '../../packages/telemetry/src/otlp-metrics-request';
import { traceRequest } from '../../packages/telemetry/src/otlp-trace-request';
import { measure, report } from './measure';

const spans: ReadableSpan[] = [];
const tracer = new TracerProvider({
  spanProcessors: [
    new SimpleSpanProcessor({
      exporter: {
        export: (ended, done) => {
          spans.push(...ended);
          done({ code: 0 });
        },
        shutdown: () => Promise.resolve(),
      },
    }),
  ],
}).getTracer('bench', '1.0.0');
for (let i = 0; i < 512; i++) {
  const span = tracer.startSpan('POST /v1/agents/:agentId/messages', {
    attributes: {
      'http.request.method': 'POST',
      'http.response.status_code': 201,
      'agent.id': `agent-${i}`,
      ratio: 0.25,
    },
  });
  span.addEvent('llm.call', { 'model.name': 'gpt', tokens: 812 });
  span.addLink({ context: span.spanContext(), attributes: { kind: 'retry' } });
  span.end();
}

class CollectingReader extends MetricReader {
  protected override onForceFlush = () => Promise.resolve();
  protected override onShutdown = () => Promise.resolve();
}
const reader = new CollectingReader();
const meter = new MeterProvider({ readers: [reader] }).getMeter('bench');
const counter = meter.createCounter('requests');
const histogram = meter.createHistogram('latency', { unit: 'ms' });
for (let i = 0; i < 200; i++) {
  counter.add(1, { route: `/route/${i % 20}`, status: i % 3 === 0 ? 500 : 200 });
  histogram.record(i * 1.5, { route: `/route/${i % 20}` });
}
const { resourceMetrics } = await reader.collect();

const ITERATIONS = 20;
report(
  '512 spans as OTLP protobuf',
  measure(
    [
      ['official ProtobufTraceSerializer (baseline)', () => ProtobufTraceSerializer.serializeRequest(spans)],
      [
        'built-in encoder',
        () => encodeOtlp(traceRequest(spans), 'ExportTraceServiceRequest', 'http/protobuf'),
      ],
    ],
    ITERATIONS,
  ),
);
report(
  '512 spans as OTLP JSON',
  measure(
    [
      ['official JsonTraceSerializer (baseline)', () => JsonTraceSerializer.serializeRequest(spans)],
      ['built-in encoder', () => encodeOtlp(traceRequest(spans), 'ExportTraceServiceRequest', 'http/json')],
    ],
    ITERATIONS,
  ),
);
report(
  '40 sum and 20 histogram points as OTLP protobuf and JSON',
  measure(
    [
      [
        'official ProtobufMetricsSerializer (baseline)',
        () => ProtobufMetricsSerializer.serializeRequest(resourceMetrics),
      ],
      [
        'built-in encoder, protobuf',
        () => encodeOtlp(metricsRequest(resourceMetrics), 'ExportMetricsServiceRequest', 'http/protobuf'),
      ],
      ['official JsonMetricsSerializer', () => JsonMetricsSerializer.serializeRequest(resourceMetrics)],
      [
        'built-in encoder, JSON',
        () => encodeOtlp(metricsRequest(resourceMetrics), 'ExportMetricsServiceRequest', 'http/json'),
      ],
    ],
    ITERATIONS * 10,
  ),
);
