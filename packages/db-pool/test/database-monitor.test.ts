import {
  createEngine,
  databaseMonitorOptionsFromSettings,
  type Engine,
  EngineOptionsError,
  monitorDatabase,
  PoolClosedError,
} from '@letta/db-pool';
import { AggregationTemporality, MeterProvider } from '@opentelemetry/sdk-metrics';
import { requireService, testPgUri, until } from '@test/support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, recordingLogger, TestMetricReader, taggedUri, uniqueTag, value } from './helpers';

const hasPg = await requireService('postgres');
const database = { 'db.namespace': new URL(testPgUri()).pathname.slice(1) };

/**
 * A provider whose reader asks for delta temporality, under which a series that is no longer observed
 * is no longer exported (under cumulative temporality the SDK keeps exporting its last value).
 */
function deltaProvider(): { reader: TestMetricReader; provider: MeterProvider } {
  const reader = new TestMetricReader({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  return { reader, provider: new MeterProvider({ readers: [reader] }) };
}

describe.skipIf(!hasPg)('monitorDatabase on PostgreSQL', () => {
  const table = `letta_monitor_${uniqueTag('t').replace(/-/g, '_')}`;
  const bloated = `${table}_bloated`;
  let engine: Engine<unknown>;
  let reader: TestMetricReader;
  let meterProvider: MeterProvider;
  const clients: pg.Client[] = [];

  /** A session of its own on the test server, tagged like every connection of this suite. */
  async function session(): Promise<pg.Client> {
    const client = new pg.Client(taggedUri(uniqueTag('monitor-session')));
    await client.connect();
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    engine = await createEngine({ kind: 'postgres', uri: taggedUri(uniqueTag('monitor')), poolSize: 2 });
    reader = new TestMetricReader();
    meterProvider = new MeterProvider({ readers: [reader] });
    const setup = await session();
    await setup.query(`create table ${table} (id int primary key, v int) with (autovacuum_enabled = false)`);
    await setup.query(`insert into ${table} select g, 0 from generate_series(1, 100) g`);
  });
  afterAll(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end()));
    const cleanup = new pg.Client(taggedUri(uniqueTag('monitor-cleanup')));
    await cleanup.connect();
    await cleanup.query(`drop table if exists ${table}, ${bloated}`);
    await cleanup.end();
    await engine.close();
    await meterProvider.shutdown();
  });

  it('reports connections against max_connections and the cache hit ratio', async () => {
    const monitor = monitorDatabase(engine, { meterProvider, tables: [] });
    try {
      await monitor.refresh();
      const metrics = await collect(reader);
      const maxConnections = value(metrics, 'letta.db.connections.max') as number;
      const active = value(metrics, 'letta.db.connections', { 'letta.db.connection.state': 'active' });
      expect(maxConnections).toBeGreaterThan(0);
      expect(active).toBeGreaterThanOrEqual(1);
      const usage = value(metrics, 'letta.db.connections.usage') as number;
      expect(usage).toBeGreaterThan(0);
      expect(usage).toBeLessThanOrEqual(1);
      const ratio = value(metrics, 'letta.db.cache.hit_ratio', database) as number;
      expect(ratio).toBeGreaterThan(0);
      expect(ratio).toBeLessThanOrEqual(1);
      expect(metrics.get('letta.db.transaction.max_duration')?.unit).toBe('s');
    } finally {
      await monitor.close();
    }
  });

  it('sees a blocked lock, how long it has waited, and the long transaction holding it', async () => {
    const monitor = monitorDatabase(engine, { meterProvider, tables: [] });
    const [holder, waiter] = [await session(), await session()];
    try {
      await holder.query('begin');
      await holder.query(`update ${table} set v = 1 where id = 1`);
      const blocked = waiter.query(`update ${table} set v = 2 where id = 1`);
      await until('the lock wait and the transaction to pass 0.5 s', async () => {
        await monitor.refresh();
        const polled = await collect(reader);
        const wait = value(polled, 'letta.db.lock.max_wait', database);
        const longest = value(polled, 'letta.db.transaction.max_duration', database);
        return typeof wait === 'number' && wait >= 0.5 && typeof longest === 'number' && longest >= 0.5;
      });
      const metrics = await collect(reader);
      expect(value(metrics, 'letta.db.lock.waiting', database)).toBeGreaterThanOrEqual(1);
      expect(value(metrics, 'letta.db.lock.max_wait', database)).toBeGreaterThanOrEqual(0.5);
      expect(value(metrics, 'letta.db.transaction.max_duration', database)).toBeGreaterThanOrEqual(0.5);
      await holder.query('rollback');
      await blocked;
    } finally {
      await monitor.close();
    }
  });

  it('counts a deadlock', async () => {
    const monitor = monitorDatabase(engine, { meterProvider, tables: [] });
    const deadlocks = async () => {
      await monitor.refresh();
      return value(await collect(reader), 'letta.db.deadlocks', database) as number;
    };
    const [first, second] = [await session(), await session()];
    try {
      const before = await deadlocks();
      for (const client of [first, second]) {
        await client.query("set deadlock_timeout = '100ms'");
        await client.query('begin');
      }
      await first.query(`update ${table} set v = 1 where id = 10`);
      await second.query(`update ${table} set v = 1 where id = 11`);
      const crossed = await Promise.allSettled([
        first.query(`update ${table} set v = 2 where id = 11`),
        second.query(`update ${table} set v = 2 where id = 10`),
      ]);
      expect(crossed.filter((r) => r.status === 'rejected').map((r) => r.reason.code)).toEqual(['40P01']);
      for (const client of [first, second]) {
        await client.query('rollback');
        await client.query('select pg_stat_force_next_flush()');
      }
      await until('the deadlock in pg_stat_database', async () => (await deadlocks()) >= before + 1);
    } finally {
      await monitor.close();
    }
  });

  it('reports the dead-tuple ratio of the tables it is given', async () => {
    const monitor = monitorDatabase(engine, { meterProvider, tables: [bloated, 'no_such_table'] });
    const writer = await session();
    try {
      await writer.query(`create table ${bloated} (id int) with (autovacuum_enabled = false)`);
      await writer.query(`insert into ${bloated} select generate_series(1, 100)`);
      await writer.query(`delete from ${bloated} where id > 60`);
      await writer.query('select pg_stat_force_next_flush()');
      const ratio = async () => {
        await monitor.refresh();
        const metrics = await collect(reader);
        expect(metrics.get('letta.db.table.dead_tuple_ratio')?.points).toHaveLength(1);
        return value(metrics, 'letta.db.table.dead_tuple_ratio', {
          'db.collection.name': `public.${bloated}`,
        });
      };
      await until('the deletes in pg_stat_user_tables', async () => (await ratio()) === 0.4);
    } finally {
      await monitor.close();
    }
  });

  it('detaches its gauges on close()', async () => {
    const { reader: deltaReader, provider } = deltaProvider();
    const monitor = monitorDatabase(engine, { meterProvider: provider, tables: [] });
    await monitor.refresh();
    expect((await collect(deltaReader)).get('letta.db.connections.max')?.points).toHaveLength(1);
    await monitor.close();
    await monitor.close();
    expect((await collect(deltaReader)).get('letta.db.connections.max')?.points ?? []).toHaveLength(0);
    await provider.shutdown();
  });

  it('logs and rejects a failed round, reports letta.db.up 0, and observes nothing stale', async () => {
    const { logger, lines } = recordingLogger();
    const closed = await createEngine({
      kind: 'postgres',
      uri: taggedUri(uniqueTag('closed')),
      monitoring: false,
    });
    const { reader: deltaReader, provider } = deltaProvider();
    const monitor = monitorDatabase(closed, { meterProvider: provider, tables: [], logger });
    await monitor.refresh();
    let metrics = await collect(deltaReader);
    expect(value(metrics, 'letta.db.up')).toBe(1);
    expect(metrics.get('letta.db.connections.max')?.points).toHaveLength(1);

    await closed.close();
    await expect(monitor.refresh()).rejects.toBeInstanceOf(PoolClosedError);
    metrics = await collect(deltaReader);
    expect(value(metrics, 'letta.db.up')).toBe(0);
    expect(metrics.get('letta.db.connections.max')?.points ?? []).toHaveLength(0);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'database health queries failed',
        fields: { errorType: 'PoolClosedError' },
      }),
    );
    await monitor.close();
    await provider.shutdown();
  });
});

describe('monitorDatabase without PostgreSQL', () => {
  it('does nothing on SQLite', async () => {
    const engine = await createEngine({ kind: 'sqlite', filename: ':memory:', monitoring: false });
    const reader = new TestMetricReader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    const monitor = monitorDatabase(engine, { meterProvider });
    await monitor.refresh();
    expect((await collect(reader)).size).toBe(0);
    await monitor.close();
    await engine.close();
  });

  it('checks its options once, naming them', async () => {
    const engine = await createEngine({ kind: 'sqlite', filename: ':memory:', monitoring: false });
    expect(() => monitorDatabase(engine, { intervalMs: 0 })).toThrow(EngineOptionsError);
    expect(() => monitorDatabase(engine, { tables: 'messages' as unknown as string[] })).toThrow(
      /tables must be an array of table names/,
    );
    await engine.close();
  });

  it("takes its interval from Letta's db_pool_monitoring_interval", () => {
    expect(databaseMonitorOptionsFromSettings({ dbPoolMonitoringInterval: 30 })).toEqual({
      intervalMs: 30_000,
    });
  });
});
