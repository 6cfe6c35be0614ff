import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Database } from './database';

type EngineKind = 'postgres' | 'sqlite';

type ColumnType = ReturnType<typeof sql>;

/**
 * Letta's agents, messages and runs, with the indexes of Letta's tuning guidance. Timestamps are
 * `timestamptz` on Postgres and ISO-8601 text on SQLite, which sorts the same way.
 */
function createCoreTables(kind: EngineKind): Migration {
  const timestamp = kind === 'postgres' ? sql`timestamptz` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await createAgentsTable(db, timestamp);
      await createRunsTable(db, timestamp);
      await createMessagesTable(db, timestamp);
    },
  };
}

async function createAgentsTable(db: Kysely<unknown>, timestamp: ColumnType): Promise<void> {
  await db.schema
    .createTable('agents')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('organization_id', 'text')
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('created_at', timestamp, (column) => column.notNull())
    .execute();
  await db.schema.createIndex('ix_agents_created_at').on('agents').columns(['created_at', 'id']).execute();
}

async function createRunsTable(db: Kysely<unknown>, timestamp: ColumnType): Promise<void> {
  await db.schema
    .createTable('runs')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('agent_id', 'text', (column) => column.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('organization_id', 'text')
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('created_at', timestamp, (column) => column.notNull())
    .addColumn('completed_at', timestamp)
    .execute();
  await db.schema
    .createIndex('ix_runs_agent_created_at')
    .on('runs')
    .columns(['agent_id', 'created_at'])
    .execute();
}

async function createMessagesTable(db: Kysely<unknown>, timestamp: ColumnType): Promise<void> {
  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('agent_id', 'text', (column) => column.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('organization_id', 'text')
    .addColumn('run_id', 'text', (column) => column.references('runs.id').onDelete('set null'))
    .addColumn('role', 'text', (column) => column.notNull())
    .addColumn('content', 'text', (column) => column.notNull())
    .addColumn('sequence_id', 'integer', (column) => column.notNull())
    .addColumn('created_at', timestamp, (column) => column.notNull())
    .execute();
  const indexes: Array<[name: string, columns: string[]]> = [
    ['ix_messages_agent_created_at', ['agent_id', 'created_at']],
    ['ix_messages_created_at', ['created_at', 'id']],
    ['ix_messages_org_agent', ['organization_id', 'agent_id']],
    ['ix_messages_run_sequence', ['run_id', 'sequence_id']],
  ];
  for (const [name, columns] of indexes) {
    await db.schema.createIndex(name).on('messages').columns(columns).execute();
  }
  // Unique, unlike Letta's: a second writer that slipped past the agent lock fails instead of
  // silently duplicating a position in the history.
  await db.schema
    .createIndex('ix_messages_agent_sequence')
    .on('messages')
    .columns(['agent_id', 'sequence_id'])
    .unique()
    .execute();
}

/** Letta's `otid` on messages, unique per agent, so a retried write finds the first one. */
const messageOtid: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('messages').addColumn('otid', 'text').execute();
    await db.schema
      .createIndex('ix_messages_agent_otid')
      .on('messages')
      .columns(['agent_id', 'otid'])
      .unique()
      .execute();
  },
};

/** The server's migrations, in order. Names sort by their numeric prefix. */
function migrations(kind: EngineKind): Record<string, Migration> {
  return { '0001_core_tables': createCoreTables(kind), '0002_message_otid': messageOtid };
}

/**
 * Brings the schema up to date with Kysely's Migrator. Concurrent instances are safe: on Postgres the
 * migrator holds an advisory lock while it runs. Returns the names of the migrations it applied.
 */
export async function migrateToLatest(db: Kysely<Database>, kind: EngineKind): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(kind) };
  const { error, results = [] } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const failed = results.find((result) => result.status === 'Error')?.migrationName;
    throw new Error(
      failed
        ? `Database migration ${failed} failed: ${reason}. Fix the database (or restore it) and start the ` +
            'server again; the migrations before it are kept.'
        : `The database could not be migrated: ${reason}. Check that the database in LETTA_PG_URI (or the ` +
            'LETTA_PG_* settings) is reachable, then start the server again.',
      { cause: error },
    );
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
