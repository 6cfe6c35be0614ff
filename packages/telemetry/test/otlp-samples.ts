import {
  type Attributes,
  context,
  createTraceState,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
  ValueType,
} from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  type AggregationTemporality,
  AggregationType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

// Spans and metrics that use every part of OTLP the SDK produces, for comparing encoders.

/** An attribute of every OTLP value type, with the edge cases of each. */
export const everyAttributeType: Attributes = {
  'string.value': 'héllo wörld',
  'string.empty': '',
  'bool.true': true,
  'bool.false': false,
  'int.positive': 42,
  'int.zero': 0,
  'int.negative': -7,
  'int.large': 2 ** 53 + 2,
  'double.value': 3.25,
  'double.negative': -0.5,
  'array.strings': ['a', '', 'c'],
  'array.ints': [1, -2, 3],
  'array.doubles': [1.5, 2.5],
  'array.bools': [true, false],
  'array.with.null': ['x', null, 'z'],
  'array.empty': [],
};

const resource = resourceFromAttributes({
  'service.name': 'otlp-test',
  'host.cpu.count': 8,
  ...everyAttributeType,
});

const remoteParent = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: createTraceState('vendor=value,other=1'),
};

const linked = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.NONE,
  isRemote: true,
};

/** Ended spans from two scopes: kinds, a remote parent, events, links, statuses, every attribute type. */
export async function sampleSpans(): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const scoped = provider.getTracer('scope-a', '1.2.3', {
    schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
  });
  const parent = trace.setSpanContext(context.active(), remoteParent);
  const server = scoped.startSpan(
    'GET /agents',
    { kind: SpanKind.SERVER, attributes: everyAttributeType, startTime: [1_700_000_000, 123_456_789] },
    parent,
  );
  server.addEvent('cache.miss', { 'cache.key': 'agents', attempt: 2 }, [1_700_000_000, 200_000_000]);
  server.addEvent('no.attributes');
  server.addLink({ context: linked, attributes: { 'link.reason': 'follows', weight: 0.5 } });
  server.addLink({ context: remoteParent });
  server.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream failed' });
  server.end([1_700_000_001, 5]);
  const child = scoped.startSpan(
    'db.query',
    { kind: SpanKind.CLIENT },
    trace.setSpan(context.active(), server),
  );
  child.setStatus({ code: SpanStatusCode.OK });
  child.end();
  const unscoped = provider.getTracer('scope-b');
  for (const kind of [SpanKind.INTERNAL, SpanKind.PRODUCER, SpanKind.CONSUMER])
    unscoped.startSpan(`kind.${kind}`, { kind }).end();
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

class CollectingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Two collections of a sum, an up-down sum, gauges, an explicit-bucket and an exponential histogram,
 * with int and double values, in the given temporality for every instrument.
 */
export async function sampleMetrics(temporality: AggregationTemporality): Promise<ResourceMetrics[]> {
  const reader = new CollectingReader({ aggregationTemporalitySelector: () => temporality });
  const provider = new MeterProvider({
    resource,
    readers: [reader],
    views: [{ instrumentName: 'latency.exp', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('scope-m', '0.1.0', {
    schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
  });
  const requests = meter.createCounter('requests', {
    valueType: ValueType.INT,
    unit: '{request}',
    description: 'Requests served',
  });
  const inflight = meter.createUpDownCounter('inflight');
  const temperature = meter.createGauge('temperature', { unit: 'Cel' });
  const latency = meter.createHistogram('latency', {
    unit: 'ms',
    advice: { explicitBucketBoundaries: [1, 10, 100] },
  });
  const latencyExp = meter.createHistogram('latency.exp', { unit: 's' });
  meter
    .createObservableGauge('queue.depth', { valueType: ValueType.INT })
    .addCallback((result) => result.observe(17, { queue: 'default' }));
  const collections: ResourceMetrics[] = [];
  for (const round of [1, 2]) {
    requests.add(3 * round, { route: '/agents', ok: true });
    requests.add(1, { route: '/health', code: 200 });
    inflight.add(2.5);
    inflight.add(-4);
    temperature.record(21.5 + round, { room: 'a' });
    for (const value of [0.5, 5, 50, 500, 0]) latency.record(value * round, { route: '/agents' });
    for (const value of [0.001, 0.25, 3, 42, 0]) latencyExp.record(value * round);
    collections.push((await reader.collect()).resourceMetrics);
  }
  await provider.shutdown();
  return collections;
}
