import {
  type BoundAttributes,
  type BoundHistogram,
  type BoundInstrumentFactory,
  boundInstrumentsOf,
  recordingWith,
} from '@letta/core';
import type {
  Attributes,
  BatchObservableResult,
  Meter,
  MeterProvider,
  Observable,
  ObservableCounter,
} from '@opentelemetry/api';
import packageJson from '../../package.json';
import { errorType } from './connection-failure';
import { packageMeter } from './meter';
import type { Pool } from './pool';
import type { MetricNames } from './pool-options';

export interface PoolMetricsOptions {
  /** Defaults to the global provider at the time of the call. */
  meterProvider?: MeterProvider | undefined;
  metricNames: MetricNames;
}

/** SQLAlchemy's event vocabulary, as Letta counts it. */
const COUNTED_EVENTS = [
  'connect',
  'first_connect',
  'checkout',
  'checkin',
  'invalidate',
  'soft_invalidate',
  'close',
  'reset',
] as const;
type CountedEvent = (typeof COUNTED_EVENTS)[number];

const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const MILLISECONDS = SECONDS.map((s) => s * 1000);

/** Running totals kept by the event listeners and read by the observable counters at collection time. */
class Tally {
  readonly events: Record<CountedEvent, number> = Object.fromEntries(
    COUNTED_EVENTS.map((e) => [e, 0]),
  ) as Record<CountedEvent, number>;
  readonly errors = new Map<string, { event: string; type: string; count: number }>();
  timeouts = 0;

  error(event: string, error: unknown): void {
    const type = errorType(error);
    const key = `${event} ${type}`;
    const entry = this.errors.get(key) ?? { event, type, count: 0 };
    entry.count++;
    this.errors.set(key, entry);
  }
}

/** One naming of the metrics: its instruments, the attributes it puts on them, and how it observes. */
interface MetricSet {
  readonly observables: Observable[];
  readonly waitTime: (ms: number) => void;
  readonly useTime: (ms: number) => void;
  readonly createTime: (ms: number) => void;
  observe(result: BatchObservableResult, tally: Tally): void;
}

/**
 * Reports a pool through `@opentelemetry/api`: gauges are observed from `pool.stats()` at collection
 * time, counters from tallies kept by event listeners, histograms recorded as events happen. Returns
 * the function that detaches everything. No attribute carries anything per request or secret.
 */
export function monitorPool(pool: Pool, options: PoolMetricsOptions): () => void {
  const meter = packageMeter(options.meterProvider);
  const histograms = histogramBinder(meter, boundInstrumentsOf(options.meterProvider));
  const sets: MetricSet[] = [];
  if (options.metricNames !== 'letta') sets.push(semconvSet(meter, histograms, pool));
  if (options.metricNames !== 'semconv') sets.push(lettaSet(meter, histograms, pool));
  const tally = new Tally();

  const unsubscribe = [
    pool.on('checkout', ({ waitMs }) => {
      tally.events.checkout++;
      for (const set of sets) set.waitTime(waitMs);
    }),
    pool.on('checkin', ({ useMs }) => {
      tally.events.checkin++;
      for (const set of sets) set.useTime(useMs);
    }),
    pool.on('connect', ({ durationMs }) => {
      tally.events.connect++;
      for (const set of sets) set.createTime(durationMs);
    }),
    pool.on('invalidate', ({ error }) => {
      tally.events.invalidate++;
      tally.error('invalidate', error);
    }),
    pool.on('connect_error', ({ error }) => tally.error('connect', error)),
    pool.on('timeout', () => tally.timeouts++),
    pool.on('first_connect', () => tally.events.first_connect++),
    pool.on('soft_invalidate', () => tally.events.soft_invalidate++),
    pool.on('close', () => tally.events.close++),
    pool.on('reset', () => tally.events.reset++),
  ];

  const observables = sets.flatMap((set) => set.observables);
  const callback = (result: BatchObservableResult) => {
    for (const set of sets) set.observe(result, tally);
  };
  meter.addBatchObservableCallback(callback, observables);
  return () => {
    meter.removeBatchObservableCallback(callback, observables);
    for (const off of unsubscribe) off();
  };
}

/** Binds a histogram of this package to one attribute set. */
type HistogramBinder = (
  name: string,
  unit: 's' | 'ms',
  description: string,
  attributes: BoundAttributes,
) => BoundHistogram;

/**
 * Histograms pre-aggregated in process when the meter provider offers bound instruments (two records per
 * checkout stay off the SDK's attribute hashing), else `@opentelemetry/api` histograms.
 */
function histogramBinder(meter: Meter, bound: BoundInstrumentFactory | null): HistogramBinder {
  const scope = { name: packageJson.name, version: packageJson.version };
  return (name, unit, description, attributes) => {
    const boundaries = unit === 's' ? SECONDS : MILLISECONDS;
    if (bound) return bound.histogram(scope, name, { unit, description, boundaries }, attributes);
    const histogram = meter.createHistogram(name, {
      unit,
      description,
      advice: { explicitBucketBoundaries: boundaries },
    });
    return recordingWith(histogram, attributes);
  };
}

/** Observes events and errors with attribute sets built once per distinct event or error. */
function observeTally(
  result: BatchObservableResult,
  tally: Tally,
  counters: { events: ObservableCounter; errors: ObservableCounter; timeouts: ObservableCounter },
  attributes: {
    base: Attributes;
    event(event: string): Attributes;
    error(event: string, type: string): Attributes;
  },
): void {
  result.observe(counters.timeouts, tally.timeouts, attributes.base);
  for (const event of COUNTED_EVENTS) {
    const count = tally.events[event];
    if (count > 0) result.observe(counters.events, count, attributes.event(event));
  }
  for (const { event, type, count } of tally.errors.values()) {
    result.observe(counters.errors, count, attributes.error(event, type));
  }
}

function memoize(build: (...parts: string[]) => Attributes): (...parts: string[]) => Attributes {
  const cache = new Map<string, Attributes>();
  return (...parts) => {
    const key = parts.join(' ');
    let attributes = cache.get(key);
    if (attributes === undefined) {
      attributes = build(...parts);
      cache.set(key, attributes);
    }
    return attributes;
  };
}

/**
 * OpenTelemetry's `db.client.connection.*` (times in seconds), plus two counters of our own under
 * `letta.db.pool.*`: events by SQLAlchemy's names, and connection errors by type.
 */
function semconvSet(meter: Meter, histogram: HistogramBinder, pool: Pool): MetricSet {
  const base = { 'db.client.connection.pool.name': pool.name };
  const used = { ...base, 'db.client.connection.state': 'used' };
  const idle = { ...base, 'db.client.connection.state': 'idle' };
  const connection = { unit: '{connection}' };
  const count = meter.createObservableUpDownCounter('db.client.connection.count', connection);
  const idleMax = meter.createObservableUpDownCounter('db.client.connection.idle.max', connection);
  const idleMin = meter.createObservableUpDownCounter('db.client.connection.idle.min', connection);
  const max = meter.createObservableUpDownCounter('db.client.connection.max', connection);
  const pending = meter.createObservableUpDownCounter('db.client.connection.pending_requests', {
    unit: '{request}',
  });
  const counters = {
    timeouts: meter.createObservableCounter('db.client.connection.timeouts', { unit: '{timeout}' }),
    events: meter.createObservableCounter('letta.db.pool.events', { unit: '{event}' }),
    errors: meter.createObservableCounter('letta.db.pool.errors', { unit: '{error}' }),
  };
  const wait = histogram(
    'db.client.connection.wait_time',
    's',
    'Time to obtain a connection from the pool.',
    base,
  );
  const use = histogram('db.client.connection.use_time', 's', 'Time between checkout and release.', base);
  const create = histogram('db.client.connection.create_time', 's', 'Time to open a new connection.', base);
  const attributes = {
    base,
    event: memoize((event) => ({ ...base, 'letta.db.pool.event': event })),
    error: memoize((event, type) => ({ ...base, 'letta.db.pool.event': event, 'error.type': type })),
  };
  return {
    observables: [count, idleMax, idleMin, max, pending, ...Object.values(counters)],
    waitTime: (ms) => wait.record(ms / 1000),
    useTime: (ms) => use.record(ms / 1000),
    createTime: (ms) => create.record(ms / 1000),
    observe(result, tally) {
      const stats = pool.stats();
      result.observe(count, stats.checkedOut, used);
      result.observe(count, stats.idle, idle);
      // poolSize 0 means no limit, which has no number to report.
      if (stats.size > 0 || pool.mode !== 'queue') result.observe(idleMax, stats.size, base);
      result.observe(idleMin, 0, base);
      if (Number.isFinite(stats.max)) result.observe(max, stats.max, base);
      result.observe(pending, stats.waiting, base);
      observeTally(result, tally, counters, attributes);
    },
  };
}

/**
 * Letta's metric names and attributes (`engine_name`, `pool_mode`), with its formula bugs fixed: `total`
 * is the live connection count (Letta reported the configured size), `checked_out` counts overflow and
 * not never-opened slots (a cold Letta pool read 100% used), `waiters` is real (always 0 under Letta's
 * async pool), and `db_checkout_latency_ms` is recorded (Letta never recorded it).
 */
function lettaSet(meter: Meter, histogram: HistogramBinder, pool: Pool): MetricSet {
  const base = {
    engine_name: pool.name,
    pool_mode: pool.mode === 'queue' ? 'client_pooling_enabled' : 'client_pooling_disabled',
  };
  const gauge = (name: string) => meter.createObservableGauge(name, { unit: '1' });
  const total = gauge('gauge_db_pool_connections_total');
  const checkedOut = gauge('gauge_db_pool_connections_checked_out');
  const available = gauge('gauge_db_pool_connections_available');
  const overflow = gauge('gauge_db_pool_connections_overflow');
  const inUse = gauge('db_pool_in_use');
  const waiters = gauge('db_pool_waiters');
  const utilization = gauge('db_pool_utilization_ratio');
  const counters = {
    timeouts: meter.createObservableCounter('db_pool_checkout_timeout_total', { unit: '1' }),
    events: meter.createObservableCounter('count_db_pool_connection_events', { unit: '1' }),
    errors: meter.createObservableCounter('count_db_pool_connection_errors', { unit: '1' }),
  };
  const wait = histogram('db_checkout_latency_ms', 'ms', 'Time to check out a connection.', base);
  const use = histogram('hist_db_pool_connection_duration_ms', 'ms', 'Time from checkout to checkin.', base);
  const attributes = {
    base,
    event: memoize((event) => ({ ...base, event })),
    error: memoize((event, type) => ({ ...base, event, exception_type: type })),
  };
  return {
    observables: [
      total,
      checkedOut,
      available,
      overflow,
      inUse,
      waiters,
      utilization,
      ...Object.values(counters),
    ],
    waitTime: (ms) => wait.record(ms),
    useTime: (ms) => use.record(ms),
    createTime: () => {},
    observe(result, tally) {
      const stats = pool.stats();
      result.observe(total, stats.total, base);
      result.observe(checkedOut, stats.checkedOut, base);
      result.observe(available, stats.idle, base);
      result.observe(overflow, stats.overflow, base);
      result.observe(inUse, stats.checkedOut, base);
      result.observe(waiters, stats.waiting, base);
      result.observe(utilization, stats.size > 0 ? stats.checkedOut / stats.size : 0, base);
      observeTally(result, tally, counters, attributes);
    },
  };
}
