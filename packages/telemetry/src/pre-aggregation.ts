import type {
  BoundAttributes,
  BoundCounter,
  BoundCounterOptions,
  BoundHistogram,
  BoundHistogramOptions,
  BoundInstrumentFactory,
  InstrumentScope,
} from '@letta/core';
import { type HrTime, ValueType } from '@opentelemetry/api';
import type {
  AggregationTemporality,
  CollectionResult,
  MetricData,
  MetricProducer,
  ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import type { Sdk } from './sdk-modules';

/** A histogram's running totals since it was bound. */
class HistogramTotals implements BoundHistogram {
  readonly counts: number[];
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  constructor(
    readonly boundaries: readonly number[],
    readonly attributes: BoundAttributes,
    readonly startTime: HrTime,
  ) {
    this.counts = new Array<number>(boundaries.length + 1).fill(0);
  }

  record(value: number): void {
    const { boundaries } = this;
    let bucket = 0;
    // Buckets are upper-inclusive, as the SDK's explicit-bucket histogram counts them.
    while (bucket < boundaries.length && value > (boundaries[bucket] as number)) bucket++;
    this.counts[bucket] = (this.counts[bucket] as number) + 1;
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }
}

/** A monotonic counter's running total since it was bound. */
class CounterTotal implements BoundCounter {
  total = 0;

  constructor(
    readonly attributes: BoundAttributes,
    readonly startTime: HrTime,
  ) {}

  add(value: number): void {
    if (value >= 0) this.total += value;
  }
}

type Totals = HistogramTotals | CounterTotal;

interface Instrument {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly kind: 'histogram' | 'counter';
  /** One entry per distinct attribute set, keyed by its canonical text. */
  readonly totals: Map<string, Totals>;
}

interface Scope {
  readonly scope: InstrumentScope;
  readonly instruments: Map<string, Instrument>;
}

/** The attribute set as text that does not depend on key order. */
const attributeKey = (attributes: BoundAttributes) =>
  JSON.stringify(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** What one delta reader saw at its last collection, so the next one reports only what came after. */
interface Seen {
  count: number;
  sum: number;
  counts: number[];
  total: number;
}

/**
 * The hot path of metrics: instruments bound once to a fixed attribute set, whose records only add to
 * totals kept here (no attribute hashing, no SDK call), and a `MetricProducer` per reader that hands the
 * totals to the SDK at collection, as the SDK's own explicit-bucket histograms and sums would report them.
 */
export class PreAggregation implements BoundInstrumentFactory {
  readonly #scopes = new Map<string, Scope>();
  readonly #sdk: Sdk;

  constructor(sdk: Sdk) {
    this.#sdk = sdk;
  }

  histogram(
    scope: InstrumentScope,
    name: string,
    options: BoundHistogramOptions,
    attributes: BoundAttributes,
  ): BoundHistogram {
    const boundaries = [...options.boundaries];
    return this.#bind(scope, name, options, 'histogram', attributes, () => {
      return new HistogramTotals(boundaries, { ...attributes }, this.#sdk.core.hrTime());
    });
  }

  counter(
    scope: InstrumentScope,
    name: string,
    options: BoundCounterOptions,
    attributes: BoundAttributes,
  ): BoundCounter {
    return this.#bind(
      scope,
      name,
      options,
      'counter',
      attributes,
      () => new CounterTotal({ ...attributes }, this.#sdk.core.hrTime()),
    );
  }

  /**
   * A producer for one metric reader, reporting in the temporality `temporality` gives at each
   * collection (the reader's own choice for histograms, asked once it exists).
   */
  producer(temporality: () => AggregationTemporality): MetricProducer {
    const { metrics: sdkMetrics, resources } = this.#sdk;
    const seen = new WeakMap<Totals, Seen>();
    let lastCollection = this.#sdk.core.hrTime();
    return {
      collect: async (): Promise<CollectionResult> => {
        const delta = temporality() === sdkMetrics.AggregationTemporality.DELTA;
        const now = this.#sdk.core.hrTime();
        const since = lastCollection;
        lastCollection = now;
        const scopeMetrics: ScopeMetrics[] = [];
        for (const { scope, instruments } of this.#scopes.values()) {
          const metrics: MetricData[] = [];
          for (const instrument of instruments.values()) {
            const metric = delta
              ? deltaMetric(sdkMetrics, instrument, seen, since, now)
              : cumulativeMetric(sdkMetrics, instrument, now);
            if (metric) metrics.push(metric);
          }
          if (metrics.length > 0) scopeMetrics.push({ scope, metrics });
        }
        return { resourceMetrics: { resource: resources.emptyResource(), scopeMetrics }, errors: [] };
      },
    };
  }

  #bind<T extends Totals>(
    scope: InstrumentScope,
    name: string,
    options: BoundCounterOptions,
    kind: Instrument['kind'],
    attributes: BoundAttributes,
    create: () => T,
  ): T {
    const scopeKey = `${scope.name}@${scope.version ?? ''}`;
    let entry = this.#scopes.get(scopeKey);
    if (!entry) {
      entry = { scope: { name: scope.name, version: scope.version }, instruments: new Map() };
      this.#scopes.set(scopeKey, entry);
    }
    let instrument = entry.instruments.get(name);
    if (!instrument) {
      instrument = { name, description: options.description, unit: options.unit, kind, totals: new Map() };
      entry.instruments.set(name, instrument);
    } else if (instrument.kind !== kind) {
      throw new Error(
        `The instrument ${name} of ${scope.name} is already bound as a ${instrument.kind}; bind it as one kind only.`,
      );
    }
    const key = attributeKey(attributes);
    let totals = instrument.totals.get(key);
    if (!totals) {
      totals = create();
      instrument.totals.set(key, totals);
    }
    return totals as T;
  }
}

function descriptor(instrument: Instrument) {
  const { name, description, unit } = instrument;
  return { name, description, unit, valueType: ValueType.DOUBLE };
}

type SdkMetrics = Sdk['metrics'];

function cumulativeMetric(
  { AggregationTemporality, DataPointType }: SdkMetrics,
  instrument: Instrument,
  now: HrTime,
): MetricData | null {
  const totals = [...instrument.totals.values()].filter((t) => countOf(t) > 0);
  if (totals.length === 0) return null;
  const base = {
    descriptor: descriptor(instrument),
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
  };
  if (instrument.kind === 'counter') {
    return {
      ...base,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints: (totals as CounterTotal[]).map((t) => ({
        attributes: t.attributes,
        startTime: t.startTime,
        endTime: now,
        value: t.total,
      })),
    };
  }
  return {
    ...base,
    dataPointType: DataPointType.HISTOGRAM,
    dataPoints: (totals as HistogramTotals[]).map((t) => ({
      attributes: t.attributes,
      startTime: t.startTime,
      endTime: now,
      value: {
        buckets: { boundaries: [...t.boundaries], counts: [...t.counts] },
        count: t.count,
        sum: t.sum,
        min: t.min,
        max: t.max,
      },
    })),
  };
}

/** What came after the reader's last collection; min and max are left out, as totals cannot give them. */
function deltaMetric(
  { AggregationTemporality, DataPointType }: SdkMetrics,
  instrument: Instrument,
  seen: WeakMap<Totals, Seen>,
  since: HrTime,
  now: HrTime,
): MetricData | null {
  const points: Array<{ totals: Totals; before: Seen }> = [];
  for (const totals of instrument.totals.values()) {
    const before = seen.get(totals) ?? { count: 0, sum: 0, counts: [], total: 0 };
    if (countOf(totals) === (totals instanceof CounterTotal ? before.total : before.count)) continue;
    points.push({ totals, before });
    seen.set(
      totals,
      totals instanceof CounterTotal
        ? { ...before, total: totals.total }
        : { ...before, count: totals.count, sum: totals.sum, counts: [...totals.counts] },
    );
  }
  if (points.length === 0) return null;
  const base = { descriptor: descriptor(instrument), aggregationTemporality: AggregationTemporality.DELTA };
  if (instrument.kind === 'counter') {
    return {
      ...base,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints: points.map(({ totals, before }) => ({
        attributes: totals.attributes,
        startTime: since,
        endTime: now,
        value: (totals as CounterTotal).total - before.total,
      })),
    };
  }
  return {
    ...base,
    dataPointType: DataPointType.HISTOGRAM,
    dataPoints: points.map(({ totals, before }) => {
      const t = totals as HistogramTotals;
      return {
        attributes: t.attributes,
        startTime: since,
        endTime: now,
        value: {
          buckets: {
            boundaries: [...t.boundaries],
            counts: t.counts.map((count, i) => count - (before.counts[i] ?? 0)),
          },
          count: t.count - before.count,
          sum: t.sum - before.sum,
        },
      };
    }),
  };
}

function countOf(totals: Totals): number {
  return totals instanceof CounterTotal ? totals.total : totals.count;
}
