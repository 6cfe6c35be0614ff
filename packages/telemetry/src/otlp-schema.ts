/**
 * The OTLP messages an export of traces or metrics needs, with each field's number and protobuf type,
 * from opentelemetry-proto's `common`, `resource`, `trace` and `metrics` v1 files. Field names are the
 * OTLP/JSON ones (lowerCamelCase). Summary data points, exemplars and entity references are left out:
 * the JavaScript SDK produces none of them.
 */

/** A scalar's protobuf type; `id` is `bytes` that OTLP/JSON writes as hex (trace and span ids). */
export type ScalarType =
  | 'string'
  | 'bool'
  | 'uint32'
  | 'int64'
  | 'sint32'
  | 'fixed32'
  | 'fixed64'
  | 'double'
  | 'bytes'
  | 'id';

/** A packed repeated scalar field. */
export type PackedType = 'packed fixed64' | 'packed double' | 'packed uint64';

export type MessageName = keyof typeof otlpSchema;

/** A scalar type, a packed type, or the name of a message in `otlpSchema`. */
type MessageSchema = Readonly<Record<string, readonly [number, string]>>;

const keyValues = (field: number) => [field, 'KeyValue'] as const;
const nanos = (field: number) => [field, 'fixed64'] as const;

export const otlpSchema = {
  ExportTraceServiceRequest: { resourceSpans: [1, 'ResourceSpans'] },
  ExportMetricsServiceRequest: { resourceMetrics: [1, 'ResourceMetrics'] },

  AnyValue: {
    stringValue: [1, 'string'],
    boolValue: [2, 'bool'],
    intValue: [3, 'int64'],
    doubleValue: [4, 'double'],
    arrayValue: [5, 'ArrayValue'],
    kvlistValue: [6, 'KeyValueList'],
    bytesValue: [7, 'bytes'],
  },
  ArrayValue: { values: [1, 'AnyValue'] },
  KeyValueList: { values: keyValues(1) },
  KeyValue: { key: [1, 'string'], value: [2, 'AnyValue'] },
  Resource: { attributes: keyValues(1), droppedAttributesCount: [2, 'uint32'] },
  InstrumentationScope: {
    name: [1, 'string'],
    version: [2, 'string'],
    attributes: keyValues(3),
    droppedAttributesCount: [4, 'uint32'],
  },

  ResourceSpans: { resource: [1, 'Resource'], scopeSpans: [2, 'ScopeSpans'], schemaUrl: [3, 'string'] },
  ScopeSpans: { scope: [1, 'InstrumentationScope'], spans: [2, 'Span'], schemaUrl: [3, 'string'] },
  Span: {
    traceId: [1, 'id'],
    spanId: [2, 'id'],
    traceState: [3, 'string'],
    parentSpanId: [4, 'id'],
    flags: [16, 'fixed32'],
    name: [5, 'string'],
    kind: [6, 'uint32'],
    startTimeUnixNano: nanos(7),
    endTimeUnixNano: nanos(8),
    attributes: keyValues(9),
    droppedAttributesCount: [10, 'uint32'],
    events: [11, 'Event'],
    droppedEventsCount: [12, 'uint32'],
    links: [13, 'Link'],
    droppedLinksCount: [14, 'uint32'],
    status: [15, 'Status'],
  },
  Event: {
    timeUnixNano: nanos(1),
    name: [2, 'string'],
    attributes: keyValues(3),
    droppedAttributesCount: [4, 'uint32'],
  },
  Link: {
    traceId: [1, 'id'],
    spanId: [2, 'id'],
    traceState: [3, 'string'],
    attributes: keyValues(4),
    droppedAttributesCount: [5, 'uint32'],
    flags: [6, 'fixed32'],
  },
  Status: { message: [2, 'string'], code: [3, 'uint32'] },

  ResourceMetrics: {
    resource: [1, 'Resource'],
    scopeMetrics: [2, 'ScopeMetrics'],
    schemaUrl: [3, 'string'],
  },
  ScopeMetrics: { scope: [1, 'InstrumentationScope'], metrics: [2, 'Metric'], schemaUrl: [3, 'string'] },
  Metric: {
    name: [1, 'string'],
    description: [2, 'string'],
    unit: [3, 'string'],
    gauge: [5, 'Gauge'],
    sum: [7, 'Sum'],
    histogram: [9, 'Histogram'],
    exponentialHistogram: [10, 'ExponentialHistogram'],
  },
  Gauge: { dataPoints: [1, 'NumberDataPoint'] },
  Sum: {
    dataPoints: [1, 'NumberDataPoint'],
    aggregationTemporality: [2, 'uint32'],
    isMonotonic: [3, 'bool'],
  },
  Histogram: { dataPoints: [1, 'HistogramDataPoint'], aggregationTemporality: [2, 'uint32'] },
  ExponentialHistogram: {
    dataPoints: [1, 'ExponentialHistogramDataPoint'],
    aggregationTemporality: [2, 'uint32'],
  },
  NumberDataPoint: {
    attributes: keyValues(7),
    startTimeUnixNano: nanos(2),
    timeUnixNano: nanos(3),
    asDouble: [4, 'double'],
    // sfixed64: the same eight bytes as fixed64 for the two's complement the writer produces.
    asInt: [6, 'fixed64'],
  },
  HistogramDataPoint: {
    attributes: keyValues(9),
    startTimeUnixNano: nanos(2),
    timeUnixNano: nanos(3),
    count: [4, 'fixed64'],
    sum: [5, 'double'],
    bucketCounts: [6, 'packed fixed64'],
    explicitBounds: [7, 'packed double'],
    min: [11, 'double'],
    max: [12, 'double'],
  },
  ExponentialHistogramDataPoint: {
    attributes: keyValues(1),
    startTimeUnixNano: nanos(2),
    timeUnixNano: nanos(3),
    count: [4, 'fixed64'],
    sum: [5, 'double'],
    scale: [6, 'sint32'],
    zeroCount: [7, 'fixed64'],
    positive: [8, 'Buckets'],
    negative: [9, 'Buckets'],
    min: [12, 'double'],
    max: [13, 'double'],
  },
  Buckets: { offset: [1, 'sint32'], bucketCounts: [2, 'packed uint64'] },
} as const satisfies Record<string, MessageSchema>;
