import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createEngine,
  type Engine,
  type EngineSettingsInput,
  engineOptionsFromSettings,
} from '@letta/db-pool';
import { requireService, testPgUri, until } from '@test/support';
import { sql } from 'kysely';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadBetterSqlite3 } from '../src/engine/sqlite-database';
import { adminClient, backendCount, lettaSettings, secret, taggedUri, uniqueTag } from './helpers';

const hasPg = await requireService('postgres');

interface Database {
  [table: string]: { id: number; name: string; parent_id: number | null };
}

/** Letta settings for the test server: a small pool, monitoring off. */
function settings(overrides: Partial<EngineSettingsInput>): EngineSettingsInput {
  return lettaSettings({
    lettaPgUri: secret(testPgUri()),
    lettaDir: tmpdir(),
    pgPoolSize: 2,
    pgMaxOverflow: 1,
    pgPoolTimeout: 5,
    enableDbPoolMonitoring: false,
    ...overrides,
  });
}

const kinds = hasPg ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

describe.each(kinds)('the same Kysely queries on %s', (kind) => {
  let engine: Engine<Database>;
  const table = `db_pool_engine_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    engine = await createEngine<Database>(
      kind === 'sqlite'
        ? { kind, filename: ':memory:', monitoring: false }
        : { kind, uri: taggedUri(uniqueTag('engine')), poolSize: 2, monitoring: false },
    );
    await engine.db.schema
      .createTable(table)
      .addColumn('id', 'integer', (col) => col.primaryKey())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('parent_id', 'integer', (col) => col.references(`${table}.id`))
      .execute();
  });
  afterAll(async () => {
    await engine.db.schema.dropTable(table).ifExists().execute();
    await engine.close();
  });

  it('inserts, selects, updates and deletes', async () => {
    await engine.db
      .insertInto(table)
      .values([
        { id: 1, name: 'one', parent_id: null },
        { id: 2, name: 'two', parent_id: 1 },
      ])
      .execute();
    const inserted = await engine.db
      .insertInto(table)
      .values({ id: 3, name: 'three', parent_id: 1 })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow();
    expect(inserted).toEqual({ id: 3, name: 'three' });
    await engine.db.updateTable(table).set({ name: 'TWO' }).where('id', '=', 2).execute();
    await engine.db.deleteFrom(table).where('id', '=', 3).execute();
    const rows = await engine.db
      .selectFrom(table)
      .select(['id', 'name'])
      .where('parent_id', 'is not', null)
      .execute();
    expect(rows).toEqual([{ id: 2, name: 'TWO' }]);
  });

  it('enforces foreign keys', async () => {
    await expect(
      engine.db.insertInto(table).values({ id: 10, name: 'orphan', parent_id: 999 }).execute(),
    ).rejects.toThrow(/foreign key/i);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    const result = await engine.transaction(async (trx) => {
      await trx.insertInto(table).values({ id: 20, name: 'kept', parent_id: null }).execute();
      return 'done';
    });
    expect(result).toBe('done');
    await expect(
      engine.transaction(async (trx) => {
        await trx.insertInto(table).values({ id: 21, name: 'discarded', parent_id: null }).execute();
        throw new Error('body failed');
      }),
    ).rejects.toThrow('body failed');
    const ids = await engine.db.selectFrom(table).select('id').where('id', '>=', 20).execute();
    expect(ids).toEqual([{ id: 20 }]);
  });

  it('rolls back when the signal aborts, and runs no later statement of the body', async () => {
    const controller = new AbortController();
    let reachedSecondInsert = false;
    let continueBody = () => {};
    const transactionSettled = new Promise<void>((resolve) => {
      continueBody = resolve;
    });
    let body: Promise<void> = Promise.resolve();
    const outcome = engine.transaction(
      (trx) => {
        body = (async () => {
          await trx.insertInto(table).values({ id: 30, name: 'aborted', parent_id: null }).execute();
          controller.abort(new Error('client went away'));
          // The body carries on only once the transaction has settled, as a slow body would.
          await transactionSettled;
          reachedSecondInsert = true;
          await trx.insertInto(table).values({ id: 31, name: 'after abort', parent_id: null }).execute();
        })();
        return body;
      },
      { signal: controller.signal },
    );
    await expect(outcome).rejects.toThrow('client went away');
    continueBody();
    await body.catch(() => {});
    expect(reachedSecondInsert).toBe(true);
    expect(await engine.db.selectFrom(table).select('id').where('id', '>=', 30).execute()).toEqual([]);
  });

  it('pings, and reports the same pool shape', async () => {
    await expect(engine.ping()).resolves.toBeUndefined();
    expect(Object.keys(engine.pool.stats()).sort()).toEqual(
      ['checkedOut', 'idle', 'max', 'overflow', 'size', 'total', 'waiting'].sort(),
    );
    expect(engine.pool.status()).toMatch(
      /^Pool size: \d+ {2}Connections in pool: \d+ Current Overflow: -?\d+ Current/,
    );
    const events: string[] = [];
    const off = engine.pool.on('checkout', () => events.push('checkout'));
    engine.pool.on('checkin', () => events.push('checkin'));
    await engine.ping();
    off();
    expect(events.slice(0, 2)).toEqual(['checkout', 'checkin']);
  });
});

describe('SQLite from settings', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('opens <lettaDir>/sqlite.db, creating the directory, with WAL and foreign keys on', async () => {
    const base = mkdtempSync(join(tmpdir(), 'letta-db-pool-'));
    dirs.push(base);
    const lettaDir = join(base, 'nested', 'letta');
    const engine = await createEngine(
      engineOptionsFromSettings(settings({ databaseEngine: 'sqlite', lettaDir })),
    );
    expect(engine.kind).toBe('sqlite');
    expect(engine.pool.mode).toBe('sqlite');
    const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(engine.db);
    expect(rows[0]?.journal_mode).toBe('wal');
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(engine.db);
    expect(fk.rows[0]?.foreign_keys).toBe(1);
    expect(engine.pool.name).toBe(join(lettaDir, 'sqlite.db'));
    await engine.close();
    await engine.close();
    expect(engine.pool.stats().total).toBe(0);
  });

  it('names the install command when better-sqlite3 is missing', async () => {
    await expect(loadBetterSqlite3('better-sqlite3-that-is-not-installed')).rejects.toThrow(
      /optional peer dependency of @letta\/db-pool.*npm install better-sqlite3`/,
    );
  });
});

describe.skipIf(!hasPg)('Postgres engine', () => {
  let admin: pg.Client;
  beforeAll(async () => {
    admin = await adminClient();
  });
  afterAll(async () => {
    await admin.end();
  });

  it("uses Letta's settings: no-pool mode by default, the pool when pooling is enabled", async () => {
    const tag = uniqueTag('settings');
    const noPool = await createEngine(
      engineOptionsFromSettings(settings({ lettaPgUri: secret(taggedUri(tag)) })),
    );
    expect(noPool.kind).toBe('postgres');
    expect(noPool.pool.status()).toBe('NullPool');
    await noPool.ping();
    expect(noPool.pool.stats().total).toBe(0);
    await until('the no-pool connection to close', async () => (await backendCount(admin, tag)) === 0);
    await noPool.close();

    const pooled = await createEngine(
      engineOptionsFromSettings(
        settings({ lettaPgUri: secret(taggedUri(tag)), disableSqlalchemyPooling: false }),
      ),
    );
    await pooled.ping();
    expect(pooled.pool.status()).toBe(
      'Pool size: 2  Connections in pool: 1 Current Overflow: -1 Current Checked out connections: 0',
    );
    expect(await backendCount(admin, tag)).toBe(1);
    await pooled.close();
    expect(await backendCount(admin, tag)).toBe(0);
  });

  it('logs the SQL text and duration with echo, never the parameters', async () => {
    const lines: { fields: Record<string, unknown>; message: string }[] = [];
    const log = (fields: object, message: string) =>
      lines.push({ fields: fields as Record<string, unknown>, message });
    const engine = await createEngine(
      { kind: 'postgres', uri: taggedUri(uniqueTag('echo')), echo: true, monitoring: false },
      { logger: { debug: log, info: log, warn: log, error: log } },
    );
    await sql`select ${'parameter-value-never-logged'}::text as value`.execute(engine.db);
    await expect(sql`select ${'another-hidden-value'}::int`.execute(engine.db)).rejects.toThrow();
    await engine.close();
    expect(lines[0]).toMatchObject({ message: 'sql', fields: { sql: 'select $1::text as value' } });
    expect(lines[0]?.fields.durationMs).toBeTypeOf('number');
    expect(lines[1]).toMatchObject({
      message: 'sql failed',
      fields: { sql: 'select $1::int', errorType: '22P02' },
    });
    expect(JSON.stringify(lines)).not.toMatch(/parameter-value-never-logged|another-hidden-value/);
  });
});
