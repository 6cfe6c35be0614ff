import {
  checkConnectionBudget,
  createEngine,
  createLeaderElector,
  createPool,
  type Engine,
  EngineOptionsError,
  monitorDatabase,
} from '@letta/db-pool';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { requireExecutables, requireService, until } from '@test/support';
import { sql } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminClient,
  applicationName,
  collect,
  lockHolder,
  recordingLogger,
  TestMetricReader,
  taggedUri,
  uniqueLockKey,
  uniqueTag,
  value,
} from './helpers';
import { type PgBouncerServer, startPgBouncer } from './pgbouncer-server';

const canRun = (await requireService('postgres')) && requireExecutables('PgBouncer', ['pgbouncer']);

interface Row {
  id: number;
  note: string;
}

describe.skipIf(!canRun)('behind PgBouncer in transaction mode', () => {
  let bouncer: PgBouncerServer;
  let admin: pg.Client;
  let engine: Engine<Record<string, Row>>;
  const table = `letta_bouncer_${uniqueTag('t').replace(/-/g, '_')}`;

  beforeAll(async () => {
    // One server connection: every client shares it, which makes the named-statement clash certain.
    bouncer = await startPgBouncer(1);
    admin = await adminClient();
    engine = await createEngine({
      kind: 'postgres',
      uri: bouncer.uri(uniqueTag('bounced')),
      poolSize: 3,
      namedPreparedStatements: false,
      monitoring: false,
    });
    await sql`create table ${sql.table(table)} (id int primary key, note text not null)`.execute(engine.db);
  });
  afterAll(async () => {
    await sql`drop table if exists ${sql.table(table)}`.execute(engine.db);
    await engine?.close();
    await bouncer?.stop();
    await admin?.end();
  });

  it('runs Kysely queries and transactions, concurrently, on server connections it does not own', async () => {
    await engine.db.insertInto(table).values({ id: 1, note: 'committed' }).execute();
    await expect(
      engine.transaction(async (trx) => {
        await trx.insertInto(table).values({ id: 2, note: 'rolled back' }).execute();
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    const committed = await engine.transaction(async (trx) => {
      await trx.insertInto(table).values({ id: 3, note: 'in a transaction' }).execute();
      return trx.selectFrom(table).select('id').orderBy('id').execute();
    });
    expect(committed).toEqual([{ id: 1 }, { id: 3 }]);

    const sums = await Promise.all(
      Array.from({ length: 12 }, (_, i) => sql<{ n: number }>`select ${i}::int + 1 as n`.execute(engine.db)),
    );
    expect(sums.map(({ rows }) => rows[0]?.n)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('breaks named prepared statements unless namedPreparedStatements is false', async () => {
    const name = `letta_${uniqueTag('stmt').replace(/-/g, '_')}`;
    const named = (text: string) => ({ name, text, values: [41] });
    for (const namedPreparedStatements of [true, false]) {
      const pool = createPool({
        uri: bouncer.uri(uniqueTag('named')),
        poolSize: 2,
        namedPreparedStatements,
        monitoring: false,
      });
      const [first, second] = [await pool.connect(), await pool.connect()];
      try {
        const one = await first.query<{ n: number }>(named('select $1::int + 1 as n'));
        expect(one.rows).toEqual([{ n: 42 }]);
        const other = second.query<{ n: number }>(named('select $1::int + 2 as n'));
        if (namedPreparedStatements) {
          // The statement first prepared on the shared server connection is already there.
          await expect(other).rejects.toMatchObject({ code: '42P05' });
        } else {
          expect((await other).rows).toEqual([{ n: 43 }]);
        }
      } finally {
        first.release();
        second.release();
        await pool.end();
      }
    }
  });

  it('refuses to elect through PgBouncer, naming LETTA_PG_DIRECT_URI', async () => {
    const { logger, lines } = recordingLogger();
    const error = await createLeaderElector({ engine }, { key: uniqueLockKey(), logger }).catch((e) => e);
    expect(error).toBeInstanceOf(EngineOptionsError);
    expect(error).toMatchObject({ issues: [{ path: 'directUri', envVar: 'LETTA_PG_DIRECT_URI' }] });
    expect((error as Error).message).toMatch(
      /through the engine's URI \(LETTA_PG_URI\), reaches PostgreSQL through a connection pooler.*Set directUri \(LETTA_PG_DIRECT_URI\)/,
    );
    expect(lines).toEqual([]);
  });

  it("takes the lock on the direct URI when the engine's own goes through PgBouncer", async () => {
    const key = uniqueLockKey();
    const directTag = uniqueTag('direct');
    const split = await createEngine({
      kind: 'postgres',
      uri: bouncer.uri(uniqueTag('bounced')),
      directUri: taggedUri(directTag),
      monitoring: false,
    });
    const elector = await createLeaderElector(
      { engine: split },
      { key, retryIntervalMs: 500, checkIntervalMs: 100 },
    );
    try {
      await until('a leader', () => elector.isLeader);
      expect(await applicationName(admin, (await lockHolder(admin, key)) as number)).toBe(directTag);
    } finally {
      await elector.close();
      await split.close();
    }
  });

  it('tells the budget check that a pooler decides, and monitors the database through it', async () => {
    const { logger, lines } = recordingLogger();
    const budget = await checkConnectionBudget(engine, { instances: 1000, logger });
    expect(budget).toMatchObject({ throughPooler: true, withinBudget: true });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        message: expect.stringMatching(/through a pooler such as PgBouncer/),
      }),
    ]);

    const reader = new TestMetricReader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    const monitor = monitorDatabase(engine, { meterProvider, tables: [table] });
    await monitor.refresh();
    const metrics = await collect(reader);
    expect(value(metrics, 'letta.db.up')).toBe(1);
    expect(
      value(metrics, 'letta.db.table.dead_tuple_ratio', { 'db.collection.name': `public.${table}` }),
    ).toBeTypeOf('number');
    await monitor.close();
    await meterProvider.shutdown();
  });
});
