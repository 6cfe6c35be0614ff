import { ValueType } from '@opentelemetry/api';
import type {
  AggregationTemporality,
  DataPoint,
  DataPointType,
  ExponentialHistogram,
  Histogram,
  MetricData,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { otlpAttributes, otlpResource, otlpScope, schemaUrl, unixNanos } from './otlp-common';
import type { OtlpMessage } from './otlp-encoding';

// The SDK's enum values (part of its public API), written out because only its types are imported here.
const HISTOGRAM = 0 as DataPointType.HISTOGRAM;
const EXPONENTIAL_HISTOGRAM = 1 as DataPointType.EXPONENTIAL_HISTOGRAM;
const GAUGE = 2 as DataPointType.GAUGE;
const SDK_DELTA = 0 as AggregationTemporality.DELTA;

/** OTLP's `AggregationTemporality`: 1 delta, 2 cumulative (0 is "unspecified"). */
const otlpTemporality = (temporality: AggregationTemporality) => (temporality === SDK_DELTA ? 1 : 2);

/** The `ExportMetricsServiceRequest` for one collection. */
export function metricsRequest({ resource, scopeMetrics }: ResourceMetrics): OtlpMessage {
  return {
    resourceMetrics: [
      {
        resource: otlpResource(resource),
        scopeMetrics: scopeMetrics.map(({ scope, metrics }) => ({
          scope: otlpScope(scope),
          metrics: metrics.map(otlpMetric),
          schemaUrl: schemaUrl(scope.schemaUrl),
        })),
        schemaUrl: schemaUrl(resource.schemaUrl),
      },
    ],
  };
}

function otlpMetric(metric: MetricData): OtlpMessage {
  const { name, description, unit, valueType } = metric.descriptor;
  const head = { name, description: description || undefined, unit: unit || undefined };
  const aggregationTemporality = otlpTemporality(metric.aggregationTemporality);
  switch (metric.dataPointType) {
    case HISTOGRAM:
      return {
        ...head,
        histogram: { dataPoints: metric.dataPoints.map(histogramPoint), aggregationTemporality },
      };
    case EXPONENTIAL_HISTOGRAM:
      return {
        ...head,
        exponentialHistogram: {
          dataPoints: metric.dataPoints.map(exponentialHistogramPoint),
          aggregationTemporality,
        },
      };
    case GAUGE:
      return { ...head, gauge: { dataPoints: metric.dataPoints.map((p) => numberPoint(p, valueType)) } };
    default:
      return {
        ...head,
        sum: {
          dataPoints: metric.dataPoints.map((p) => numberPoint(p, valueType)),
          aggregationTemporality,
          isMonotonic: metric.isMonotonic,
        },
      };
  }
}

function pointTimes({ startTime, endTime, attributes }: DataPoint<unknown>) {
  return {
    attributes: otlpAttributes(attributes),
    startTimeUnixNano: unixNanos(startTime),
    timeUnixNano: unixNanos(endTime),
  };
}

function numberPoint(point: DataPoint<number>, valueType: ValueType): OtlpMessage {
  // An integer instrument's value is an `asInt` (sfixed64); rounding guards against a non-integral value.
  return valueType === ValueType.INT
    ? { ...pointTimes(point), asInt: BigInt(Math.round(point.value)) }
    : { ...pointTimes(point), asDouble: point.value };
}

function histogramPoint(point: DataPoint<Histogram>): OtlpMessage {
  const { count, sum, min, max, buckets } = point.value;
  return {
    ...pointTimes(point),
    count: BigInt(count),
    sum,
    bucketCounts: buckets.counts.map(BigInt),
    explicitBounds: buckets.boundaries,
    min,
    max,
  };
}

function exponentialHistogramPoint(point: DataPoint<ExponentialHistogram>): OtlpMessage {
  const { count, sum, min, max, scale, zeroCount, positive, negative } = point.value;
  return {
    ...pointTimes(point),
    count: BigInt(count),
    sum,
    scale,
    zeroCount: BigInt(zeroCount),
    positive: { offset: positive.offset, bucketCounts: positive.bucketCounts.map(BigInt) },
    negative: { offset: negative.offset, bucketCounts: negative.bucketCounts.map(BigInt) },
    min,
    max,
  };
}
