import type { Histogram } from '@opentelemetry/api';
import type { MetricDefinition } from './metric-definitions';

/** The SDK's default histogram boundaries (milliseconds, as Letta records them), in seconds. */
const SECOND_BOUNDARIES = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000].map(
  (ms) => ms / 1000,
);

/** A definition under its conventional name, and how its instrument turns Letta's values into that unit. */
export interface ConventionalMetric {
  readonly definition: MetricDefinition;
  readonly advice?: { explicitBucketBoundaries: number[] };
  readonly adapt?: (histogram: Histogram) => Histogram;
}

/**
 * The definition `names: 'conventional'` uses: the `conventionalName` where there is one. A millisecond
 * histogram becomes a seconds histogram with the same boundaries, and its values are converted as they
 * are recorded, so call sites keep recording milliseconds.
 */
export function conventionalMetric(definition: MetricDefinition): ConventionalMetric {
  const name = definition.conventionalName;
  if (name === undefined) return { definition };
  if (definition.kind !== 'histogram' || definition.unit !== 'ms') {
    return { definition: { ...definition, name } };
  }
  return {
    definition: { ...definition, name, unit: 's' },
    advice: { explicitBucketBoundaries: SECOND_BOUNDARIES },
    adapt: (histogram) => ({
      record: (value, attributes, context) => histogram.record(value / 1000, attributes, context),
    }),
  };
}
