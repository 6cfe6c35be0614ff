import {
  type Attributes,
  type BatchObservableResult,
  type Histogram,
  type Meter,
  type MeterProvider,
  metrics,
  type Observable,
} from '@opentelemetry/api';
import packageJson from '../package.json';
import { errorType } from './connection-failure';
import type { Pool } from './pool';
import type { PoolEventName } from './pool-events';
import type { MetricNames } from './pool-options';

export interface PoolMetricsOptions {
  /** Defaults to the global provider at the time of the call. */
  meterProvider?: MeterProvider | undefined;
  metricNames: MetricNames;
}

/** SQLAlchemy's event vocabulary, as Letta counts it. */
type CountedEvent =
  | 'connect'
  | 'first_connect'
  | 'checkout'
  | 'checkin'
  | 'invalidate'
  | 'soft_invalidate'
  | 'close'
  | 'reset';

const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const MILLISECONDS = SECONDS.map((s) => s * 1000);

const POOL_NAME = 'db.client.connection.pool.name';

/** Attribute sets built once per distinct key, so recording allocates nothing. */
class AttributeCache {
  readonly #sets = new Map<string, Attributes>();

  get(key: string, build: () => Attributes): Attributes {
    let attributes = this.#sets.get(key);
    if (attributes === undefined) {
      attributes = build();
      this.#sets.set(key, attributes);
    }
    return attributes;
  }
}

/**
 * Reports a pool through `@opentelemetry/api`: gauges are observed from `pool.stats()` at collection
 * time, counters from tallies kept by event listeners, histograms recorded as events happen. Returns
 * the function that detaches everything. No attribute carries anything per request or secret.
 */
export function monitorPool(pool: Pool, options: PoolMetricsOptions): () => void {
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(
    packageJson.name,
    packageJson.version,
  );
  const semconv = options.metricNames !== 'letta';
  const letta = options.metricNames !== 'semconv';
  const poolAttributes: Attributes = { [POOL_NAME]: pool.name };
  const lettaAttributes: Attributes = {
    engine_name: pool.name,
    pool_mode: pool.mode === 'queue' ? 'client_pooling_enabled' : 'client_pooling_disabled',
  };
  const cache = new AttributeCache();
  const eventCounts = new Map<CountedEvent, number>();
  const errorCounts = new Map<string, { event: string; type: string; count: number }>();
  let timeouts = 0;

  const countEvent = (event: CountedEvent) => eventCounts.set(event, (eventCounts.get(event) ?? 0) + 1);
  const countError = (event: string, error: unknown) => {
    const type = errorType(error);
    const key = `${event}\u0000${type}`;
    const entry = errorCounts.get(key) ?? { event, type, count: 0 };
    entry.count++;
    errorCounts.set(key, entry);
  };

  const histogram = (name: string, unit: 's' | 'ms', description: string): Histogram =>
    meter.createHistogram(name, {
      unit,
      description,
      advice: { explicitBucketBoundaries: unit === 's' ? SECONDS : MILLISECONDS },
    });
  const waitSeconds =
    semconv && histogram('db.client.connection.wait_time', 's', 'Time to obtain a connection from the pool.');
  const useSeconds =
    semconv && histogram('db.client.connection.use_time', 's', 'Time between checkout and release.');
  const createSeconds =
    semconv && histogram('db.client.connection.create_time', 's', 'Time to open a new connection.');
  const waitMs =
    letta && histogram('db_checkout_latency_ms', 'ms', 'Time to check out a connection, in milliseconds.');
  const useMs =
    letta && histogram('hist_db_pool_connection_duration_ms', 'ms', 'Checkout to checkin, in milliseconds.');

  const unsubscribe = [
    pool.on('checkout', (event) => {
      countEvent('checkout');
      if (waitSeconds) waitSeconds.record(event.waitMs / 1000, poolAttributes);
      if (waitMs) waitMs.record(event.waitMs, lettaAttributes);
    }),
    pool.on('checkin', (event) => {
      countEvent('checkin');
      if (useSeconds) useSeconds.record(event.useMs / 1000, poolAttributes);
      if (useMs) useMs.record(event.useMs, lettaAttributes);
    }),
    pool.on('connect', (event) => {
      countEvent('connect');
      if (createSeconds) createSeconds.record(event.durationMs / 1000, poolAttributes);
    }),
    pool.on('invalidate', (event) => {
      countEvent('invalidate');
      countError('invalidate', event.error);
    }),
    pool.on('connect_error', (event) => countError('connect', event.error)),
    pool.on('timeout', () => timeouts++),
    ...(['first_connect', 'soft_invalidate', 'close', 'reset'] as const).map(
      (name: PoolEventName & CountedEvent) => pool.on(name, () => countEvent(name)),
    ),
  ];

  const observables: Observable[] = [];
  const observe: ((result: BatchObservableResult) => void)[] = [];
  if (semconv) semconvObservers(meter, pool, poolAttributes, observables, observe);
  if (letta) lettaObservers(meter, pool, lettaAttributes, observables, observe);

  const counters = {
    timeouts: [
      semconv && meter.createObservableCounter('db.client.connection.timeouts', { unit: '{timeout}' }),
      letta && meter.createObservableCounter('db_pool_checkout_timeout_total', { unit: '1' }),
    ],
    events: [
      semconv &&
        meter.createObservableCounter('letta.db.pool.events', { description: 'Pool events by name.' }),
      letta && meter.createObservableCounter('count_db_pool_connection_events', { unit: '1' }),
    ],
    errors: [
      semconv &&
        meter.createObservableCounter('letta.db.pool.errors', { description: 'Connection errors by type.' }),
      letta && meter.createObservableCounter('count_db_pool_connection_errors', { unit: '1' }),
    ],
  };
  const [timeoutsSemconv, timeoutsLetta] = counters.timeouts;
  const [eventsSemconv, eventsLetta] = counters.events;
  const [errorsSemconv, errorsLetta] = counters.errors;
  for (const counter of [...counters.timeouts, ...counters.events, ...counters.errors]) {
    if (counter) observables.push(counter);
  }
  observe.push((result) => {
    if (timeoutsSemconv) result.observe(timeoutsSemconv, timeouts, poolAttributes);
    if (timeoutsLetta) result.observe(timeoutsLetta, timeouts, lettaAttributes);
    for (const [event, count] of eventCounts) {
      if (eventsSemconv) {
        result.observe(
          eventsSemconv,
          count,
          cache.get(`s${event}`, () => ({ ...poolAttributes, 'letta.db.pool.event': event })),
        );
      }
      if (eventsLetta)
        result.observe(
          eventsLetta,
          count,
          cache.get(`l${event}`, () => ({ ...lettaAttributes, event })),
        );
    }
    for (const [key, { event, type, count }] of errorCounts) {
      if (errorsSemconv) {
        const attributes = () => ({ ...poolAttributes, 'letta.db.pool.event': event, 'error.type': type });
        result.observe(errorsSemconv, count, cache.get(`s${key}`, attributes));
      }
      if (errorsLetta) {
        const attributes = () => ({ ...lettaAttributes, event, exception_type: type });
        result.observe(errorsLetta, count, cache.get(`l${key}`, attributes));
      }
    }
  });

  const callback = (result: BatchObservableResult) => {
    for (const fn of observe) fn(result);
  };
  meter.addBatchObservableCallback(callback, observables);
  return () => {
    meter.removeBatchObservableCallback(callback, observables);
    for (const off of unsubscribe) off();
  };
}

/** `db.client.connection.*` gauges, read from the live pool state. */
function semconvObservers(
  meter: Meter,
  pool: Pool,
  attributes: Attributes,
  observables: Observable[],
  observe: ((result: BatchObservableResult) => void)[],
): void {
  const connection = { unit: '{connection}' };
  const count = meter.createObservableUpDownCounter('db.client.connection.count', connection);
  const idleMax = meter.createObservableUpDownCounter('db.client.connection.idle.max', connection);
  const idleMin = meter.createObservableUpDownCounter('db.client.connection.idle.min', connection);
  const max = meter.createObservableUpDownCounter('db.client.connection.max', connection);
  const pending = meter.createObservableUpDownCounter('db.client.connection.pending_requests', {
    unit: '{request}',
  });
  observables.push(count, idleMax, idleMin, max, pending);
  const used = { ...attributes, 'db.client.connection.state': 'used' };
  const idle = { ...attributes, 'db.client.connection.state': 'idle' };
  observe.push((result) => {
    const stats = pool.stats();
    result.observe(count, stats.checkedOut, used);
    result.observe(count, stats.idle, idle);
    if (Number.isFinite(stats.size)) result.observe(idleMax, stats.size, attributes);
    result.observe(idleMin, 0, attributes);
    if (Number.isFinite(stats.max)) result.observe(max, stats.max, attributes);
    result.observe(pending, stats.waiting, attributes);
  });
}

/**
 * Letta's gauge names with its formula bugs fixed: `total` is the live connection count (Letta reported
 * the configured size), `checked_out` counts overflow and not never-opened slots (a cold Letta pool
 * read 100% used), and `waiters` is real (always 0 under Letta's async pool).
 */
function lettaObservers(
  meter: Meter,
  pool: Pool,
  attributes: Attributes,
  observables: Observable[],
  observe: ((result: BatchObservableResult) => void)[],
): void {
  const gauge = (name: string) => meter.createObservableGauge(name, { unit: '1' });
  const total = gauge('gauge_db_pool_connections_total');
  const checkedOut = gauge('gauge_db_pool_connections_checked_out');
  const available = gauge('gauge_db_pool_connections_available');
  const overflow = gauge('gauge_db_pool_connections_overflow');
  const inUse = gauge('db_pool_in_use');
  const waiters = gauge('db_pool_waiters');
  const utilization = gauge('db_pool_utilization_ratio');
  observables.push(total, checkedOut, available, overflow, inUse, waiters, utilization);
  observe.push((result) => {
    const stats = pool.stats();
    result.observe(total, stats.total, attributes);
    result.observe(checkedOut, stats.checkedOut, attributes);
    result.observe(available, stats.idle, attributes);
    result.observe(overflow, stats.overflow, attributes);
    result.observe(inUse, stats.checkedOut, attributes);
    result.observe(waiters, stats.waiting, attributes);
    result.observe(utilization, stats.size > 0 ? stats.checkedOut / stats.size : 0, attributes);
  });
}
