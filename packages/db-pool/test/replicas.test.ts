import { createEngine, type Engine, monitorDatabase } from '@letta/db-pool';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { requireExecutables, until } from '@test/support';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect, recordingLogger, TestMetricReader, uniqueTag, value } from './helpers';
import { PG_CLUSTER_EXECUTABLES, type PgCluster, startPgCluster } from './pg-cluster';

const canRun = requireExecutables('streaming replica', PG_CLUSTER_EXECUTABLES);

interface Where {
  app: string;
  standby: boolean;
}

/** Which server (by `application_name`) answered a read, and whether it is a standby. */
function where(engine: Engine<unknown>): Promise<Where> {
  return sql<Where>`select current_setting('application_name') as app, pg_is_in_recovery() as standby`
    .execute(engine.reader)
    .then(({ rows }) => rows[0] as Where);
}

describe.skipIf(!canRun)('read replicas on a streaming replica of our own', () => {
  let cluster: PgCluster;
  const engines: Engine<unknown>[] = [];

  function engine(
    options: { replicaTags: string[]; replicaRetryMs?: number },
    logger = recordingLogger().logger,
  ) {
    return createEngine(
      {
        kind: 'postgres',
        uri: cluster.primary.uri(uniqueTag('primary')),
        replicaUris: options.replicaTags.map((tag) => cluster.replica.uri(tag)),
        poolSize: 2,
        connectTimeoutMs: 2_000,
        monitoring: false,
        ...(options.replicaRetryMs && { replicaRetryMs: options.replicaRetryMs }),
      },
      { logger, name: 'core' },
    ).then((created) => {
      engines.push(created);
      return created;
    });
  }

  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 60_000);
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('reads from the replicas in turn, read-only, and sees what the primary wrote once replayed', async () => {
    const [a, b] = [uniqueTag('replica-a'), uniqueTag('replica-b')];
    const e = await engine({ replicaTags: [a, b] });
    expect(e.replicas.map((replica) => [replica.name, replica.healthy])).toEqual([
      ['core-replica-1', true],
      ['core-replica-2', true],
    ]);
    const reads = [await where(e), await where(e), await where(e), await where(e)];
    expect(reads).toEqual([
      { app: a, standby: true },
      { app: b, standby: true },
      { app: a, standby: true },
      { app: b, standby: true },
    ]);

    await sql`create table replicated (id int primary key)`.execute(e.db);
    await sql`insert into replicated values (42)`.execute(e.db);
    await until('the row on the replica', async () => {
      const { rows } = await sql`select id from replicated`.execute(e.reader).catch(() => ({ rows: [] }));
      return rows.length === 1;
    });
    await expect(sql`insert into replicated values (43)`.execute(e.reader)).rejects.toMatchObject({
      code: '25006',
    });
  });

  it('takes a stopped replica out, reads from the primary meanwhile, and puts it back once it answers', async () => {
    const tag = uniqueTag('replica');
    const { logger, lines } = recordingLogger();
    const e = await engine({ replicaTags: [tag], replicaRetryMs: 200 }, logger);
    expect(await where(e)).toEqual({ app: tag, standby: true });

    await cluster.replica.stop();
    expect((await where(e)).standby).toBe(false);
    expect(e.replicas[0]?.healthy).toBe(false);
    expect((await where(e)).standby).toBe(false);
    expect(lines.map((line) => line.message)).toEqual(
      expect.arrayContaining([
        'read replica taken out of rotation',
        'no read replica is healthy; reads go to the primary',
      ]),
    );
    expect(lines.find((line) => line.message === 'read replica taken out of rotation')?.fields).toMatchObject(
      {
        replica: 'core-replica-1',
        retryMs: 200,
      },
    );

    await cluster.replica.start();
    await until('the replica back in rotation', async () => (await where(e)).standby, 15_000);
    expect(e.replicas[0]?.healthy).toBe(true);
    expect(lines.map((line) => line.message)).toContain('read replica back in rotation');
  });

  it('reports replication lag, which grows while replay is paused, and replica health', async () => {
    const e = await engine({ replicaTags: [uniqueTag('lag')] });
    const reader = new TestMetricReader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    const monitor = monitorDatabase(e, { meterProvider, intervalMs: 60_000, tables: [] });
    const replica = { 'letta.db.replica': 'core-replica-1' };
    const standby = new pg.Client(cluster.replica.uri(uniqueTag('replay')));
    await standby.connect();
    try {
      await monitor.refresh();
      let metrics = await collect(reader);
      expect(value(metrics, 'letta.db.replica.healthy', replica)).toBe(1);
      expect(value(metrics, 'letta.db.replication.lag', replica)).toBeLessThan(5);

      await standby.query('select pg_wal_replay_pause()');
      await sql`create table lagging (id int)`.execute(e.db);
      await until('a second of lag', async () => {
        await monitor.refresh();
        const lag = value(await collect(reader), 'letta.db.replication.lag', replica);
        return typeof lag === 'number' && lag >= 1;
      });

      await standby.query('select pg_wal_replay_resume()');
      await until('the replica to catch up', async () => {
        await monitor.refresh();
        metrics = await collect(reader);
        return value(metrics, 'letta.db.replication.lag', replica) === 0;
      });
    } finally {
      await standby.end();
      await monitor.close();
      await meterProvider.shutdown();
    }
  });
});
