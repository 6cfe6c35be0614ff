import { type ConnectionPool, createPool, type MetricNames } from '@letta/db-pool';
import { AggregationTemporality, MeterProvider } from '@opentelemetry/sdk-metrics';
import { requireService, until } from '@test/support';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  adminClient,
  collect,
  TestMetricReader,
  taggedUri,
  terminateBackends,
  uniqueTag,
  value,
} from './helpers';

const hasPg = await requireService('postgres');

const PASSWORD = 'metrics-password-never-exported';

describe.skipIf(!hasPg)('pool metrics through @opentelemetry/api', () => {
  let admin: pg.Client;
  let reader: TestMetricReader;
  let provider: MeterProvider;
  const pools: ConnectionPool[] = [];
  let tag = '';

  function pool(metricNames: MetricNames, options: Omit<Parameters<typeof createPool>[0], 'uri'> = {}) {
    tag = uniqueTag('metrics');
    const uri = taggedUri(tag).replace('://postgres@', `://postgres:${PASSWORD}@`);
    const created = createPool({ uri, metricNames, ...options }, { meterProvider: provider, name: 'core' });
    pools.push(created);
    return created;
  }

  beforeAll(async () => {
    admin = await adminClient();
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.end()));
    await provider?.shutdown();
  });
  afterAll(async () => {
    await admin.end();
  });
  function freshProvider(temporality = AggregationTemporality.CUMULATIVE) {
    reader = new TestMetricReader({ aggregationTemporalitySelector: () => temporality });
    provider = new MeterProvider({ readers: [reader] });
  }

  it('reports db.client.connection.* from the live pool state at collection time', async () => {
    freshProvider();
    const p = pool('semconv', { poolSize: 2, maxOverflow: 1, poolTimeoutMs: 200 });
    const name = { 'db.client.connection.pool.name': 'core' };
    const a = await p.connect();
    const b = await p.connect();
    let m = await collect(reader);
    expect(value(m, 'db.client.connection.count', { ...name, 'db.client.connection.state': 'used' })).toBe(2);
    expect(value(m, 'db.client.connection.count', { ...name, 'db.client.connection.state': 'idle' })).toBe(0);
    expect(value(m, 'db.client.connection.max', name)).toBe(3);
    expect(value(m, 'db.client.connection.idle.max', name)).toBe(2);
    expect(value(m, 'db.client.connection.idle.min', name)).toBe(0);
    expect(m.get('db.client.connection.count')?.unit).toBe('{connection}');
    expect(m.get('db.client.connection.pending_requests')?.unit).toBe('{request}');

    const c = await p.connect();
    const waiting = p.connect();
    m = await collect(reader);
    expect(value(m, 'db.client.connection.pending_requests', name)).toBe(1);
    await expect(waiting).rejects.toThrow(/QueuePool limit/);
    for (const client of [a, b, c]) client.release();

    m = await collect(reader);
    expect(value(m, 'db.client.connection.count', { ...name, 'db.client.connection.state': 'used' })).toBe(0);
    expect(value(m, 'db.client.connection.count', { ...name, 'db.client.connection.state': 'idle' })).toBe(2);
    expect(value(m, 'db.client.connection.pending_requests', name)).toBe(0);
    expect(value(m, 'db.client.connection.timeouts', name)).toBe(1);
    for (const histogram of ['wait_time', 'use_time', 'create_time']) {
      const series = m.get(`db.client.connection.${histogram}`);
      expect(series?.unit).toBe('s');
      const { count, sum } = value(m, `db.client.connection.${histogram}`) as { count: number; sum: number };
      expect(count).toBe(3);
      expect(sum).toBeGreaterThan(0);
      expect(sum).toBeLessThan(10); // seconds, not milliseconds
    }
    expect(value(m, 'letta.db.pool.events', { ...name, 'letta.db.pool.event': 'checkout' })).toBe(3);
    expect(value(m, 'letta.db.pool.events', { ...name, 'letta.db.pool.event': 'first_connect' })).toBe(1);
    expect(value(m, 'letta.db.pool.events', { ...name, 'letta.db.pool.event': 'close' })).toBe(1);
    expect(m.has('db_pool_waiters')).toBe(false);
  });

  it("reports Letta's names with its formulas fixed: a cold pool is not 100% used", async () => {
    freshProvider();
    const p = pool('letta', { poolSize: 4, maxOverflow: 2 });
    const letta = { engine_name: 'core', pool_mode: 'client_pooling_enabled' };
    let m = await collect(reader);
    expect(value(m, 'gauge_db_pool_connections_total', letta)).toBe(0);
    expect(value(m, 'gauge_db_pool_connections_checked_out', letta)).toBe(0);
    expect(value(m, 'gauge_db_pool_connections_overflow', letta)).toBe(-4);
    expect(value(m, 'db_pool_utilization_ratio', letta)).toBe(0);

    const clients = await Promise.all([p.connect(), p.connect(), p.connect()]);
    clients[2]?.release();
    m = await collect(reader);
    expect(value(m, 'gauge_db_pool_connections_total', letta)).toBe(3);
    expect(value(m, 'gauge_db_pool_connections_checked_out', letta)).toBe(2);
    expect(value(m, 'gauge_db_pool_connections_available', letta)).toBe(1);
    expect(value(m, 'db_pool_in_use', letta)).toBe(2);
    expect(value(m, 'db_pool_utilization_ratio', letta)).toBe(0.5);
    expect(value(m, 'db_pool_waiters', letta)).toBe(0);
    expect(value(m, 'count_db_pool_connection_events', { ...letta, event: 'connect' })).toBe(3);
    expect(m.get('db_checkout_latency_ms')?.unit).toBe('ms');
    expect(m.get('hist_db_pool_connection_duration_ms')?.unit).toBe('ms');
    expect(m.has('db.client.connection.count')).toBe(false);

    clients[0]?.release();
    clients[1]?.release();
    const invalidated = new Promise((resolve) => p.on('invalidate', resolve));
    await terminateBackends(admin, tag);
    await invalidated;
    await until('all three to be invalidated', () => p.stats().total === 0);
    m = await collect(reader);
    const errors = m.get('count_db_pool_connection_errors')?.points ?? [];
    expect(errors.map((point) => point.attributes)).toEqual([
      { ...letta, event: 'invalidate', exception_type: '57P01' },
    ]);
    expect(errors[0]?.value).toBe(3);
    expect(value(m, 'count_db_pool_connection_events', { ...letta, event: 'invalidate' })).toBe(3);
  });

  it('names the connection-count gauge db.client.connections.usage on request', async () => {
    freshProvider(AggregationTemporality.CUMULATIVE);
    const p = pool('semconv', { connectionCountName: 'db.client.connections.usage' });
    const client = await p.connect();
    const m = await collect(reader);
    client.release();
    expect(m.has('db.client.connection.count')).toBe(false);
    expect(value(m, 'db.client.connections.usage', { 'db.client.connection.state': 'used' })).toBe(1);
  });

  it('reports both sets with metricNames "both", and nothing once the pool has ended', async () => {
    // Delta temporality: a series shows points only for what was observed since the last collection.
    freshProvider(AggregationTemporality.DELTA);
    const p = pool('both', { pooling: false });
    (await p.connect()).release();
    let m = await collect(reader);
    expect(m.has('db.client.connection.wait_time')).toBe(true);
    expect(m.has('db_checkout_latency_ms')).toBe(true);
    expect(value(m, 'db_pool_utilization_ratio', { pool_mode: 'client_pooling_disabled' })).toBe(0);
    expect(value(m, 'count_db_pool_connection_events', { event: 'close' })).toBe(1);
    expect(JSON.stringify([...m.values()])).not.toContain(PASSWORD);

    await p.end();
    m = await collect(reader);
    const observed = [...m.entries()]
      .filter(([, series]) => series.points.length > 0)
      .map(([metric]) => metric);
    expect(observed).toEqual([]);
  });

  it('attaches nothing when monitoring is off', async () => {
    freshProvider();
    const p = pool('both', { monitoring: false });
    (await p.connect()).release();
    expect((await collect(reader)).size).toBe(0);
  });
});
