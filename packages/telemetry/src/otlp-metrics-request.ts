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
  const aggregationTemporality = otlpTemporality(metric.aggregationTemporality);
  const otlp = { name, description: description || undefined, unit: unit || undefined };
  switch (metric.dataPointType) {
    case HISTOGRAM:
      return Object.assign(otlp, {
        histogram: { dataPoints: metric.dataPoints.map(histogramPoint), aggregationTemporality },
      });
    case EXPONENTIAL_HISTOGRAM:
      return Object.assign(otlp, {
        exponentialHistogram: {
          dataPoints: metric.dataPoints.map(exponentialHistogramPoint),
          aggregationTemporality,
        },
      });
    case GAUGE:
      return Object.assign(otlp, {
        gauge: { dataPoints: metric.dataPoints.map((p) => numberPoint(p, valueType)) },
      });
    default:
      return Object.assign(otlp, {
        sum: {
          dataPoints: metric.dataPoints.map((p) => numberPoint(p, valueType)),
          aggregationTemporality,
          isMonotonic: metric.isMonotonic,
        },
      });
  }
}

// The data points are built as whole object literals (no spread): they are the bulk of an export.

function numberPoint(
  { attributes, startTime, endTime, value }: DataPoint<number>,
  valueType: ValueType,
): OtlpMessage {
  // An integer instrument's value is an `asInt` (sfixed64); rounding guards against a non-integral value.
  const isInt = valueType === ValueType.INT;
  return {
    attributes: otlpAttributes(attributes),
    startTimeUnixNano: unixNanos(startTime),
    timeUnixNano: unixNanos(endTime),
    asInt: isInt ? Math.round(value) : undefined,
    asDouble: isInt ? undefined : value,
  };
}

function histogramPoint({ attributes, startTime, endTime, value }: DataPoint<Histogram>): OtlpMessage {
  return {
    attributes: otlpAttributes(attributes),
    startTimeUnixNano: unixNanos(startTime),
    timeUnixNano: unixNanos(endTime),
    count: value.count,
    sum: value.sum,
    bucketCounts: value.buckets.counts,
    explicitBounds: value.buckets.boundaries,
    min: value.min,
    max: value.max,
  };
}

function exponentialHistogramPoint({
  attributes,
  startTime,
  endTime,
  value,
}: DataPoint<ExponentialHistogram>): OtlpMessage {
  const { positive, negative } = value;
  return {
    attributes: otlpAttributes(attributes),
    startTimeUnixNano: unixNanos(startTime),
    timeUnixNano: unixNanos(endTime),
    count: value.count,
    sum: value.sum,
    scale: value.scale,
    zeroCount: value.zeroCount,
    positive: { offset: positive.offset, bucketCounts: positive.bucketCounts },
    negative: { offset: negative.offset, bucketCounts: negative.bucketCounts },
    min: value.min,
    max: value.max,
  };
}
