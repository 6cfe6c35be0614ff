import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '@letta/db-pool';
import { requireService } from '@test/support';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/database';
import { migrateToLatest } from '../src/migrations';
import { createThrowawayDatabase, type ThrowawayDatabase } from './throwaway-database';

const hasPg = await requireService('postgres');

/** Letta's tuning-guide indexes, plus the agent page and run lookups of this server. */
const EXPECTED_INDEXES = [
  'ix_agents_created_at',
  'ix_messages_agent_created_at',
  'ix_messages_agent_otid',
  'ix_messages_agent_sequence',
  'ix_messages_created_at',
  'ix_messages_org_agent',
  'ix_messages_run_sequence',
  'ix_runs_agent_created_at',
];

async function migrateTwice(engine: Engine<Database>) {
  const first = await migrateToLatest(engine.db, engine.kind);
  const second = await migrateToLatest(engine.db, engine.kind);
  return { first, second };
}

describe('migrations on SQLite', () => {
  it('create the tables and indexes once', async () => {
    const home = mkdtempSync(join(tmpdir(), 'letta-migrations-'));
    const engine = await createEngine<Database>({ kind: 'sqlite', filename: join(home, 'sqlite.db') });
    try {
      expect(await migrateTwice(engine)).toEqual({
        first: ['0001_core_tables', '0002_message_otid'],
        second: [],
      });
      const { rows } = await sql<{ name: string }>`
        select name from sqlite_master where type = 'index' and name like 'ix_%' order by name
      `.execute(engine.db);
      expect(rows.map((row) => row.name)).toEqual(EXPECTED_INDEXES);
    } finally {
      await engine.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasPg)('migrations on PostgreSQL', () => {
  let database: ThrowawayDatabase | undefined;
  afterAll(() => database?.drop());

  it('create the tables and indexes once, with timestamptz columns', async () => {
    database = await createThrowawayDatabase();
    const engine = await database.open<Database>();
    expect(await migrateTwice(engine)).toEqual({
      first: ['0001_core_tables', '0002_message_otid'],
      second: [],
    });
    const indexes = await sql<{ indexname: string; indexdef: string }>`
      select indexname, indexdef from pg_indexes where indexname like 'ix_%' order by indexname
    `.execute(engine.db);
    expect(indexes.rows.map((row) => row.indexname)).toEqual(EXPECTED_INDEXES);
    expect(indexes.rows.find((row) => row.indexname === 'ix_messages_agent_sequence')?.indexdef).toContain(
      'CREATE UNIQUE INDEX',
    );
    const types = await sql<{ data_type: string }>`
      select data_type from information_schema.columns where table_name = 'messages' and column_name = 'created_at'
    `.execute(engine.db);
    expect(types.rows).toEqual([{ data_type: 'timestamp with time zone' }]);
  });
});
