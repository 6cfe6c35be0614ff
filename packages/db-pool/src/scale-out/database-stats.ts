import type { ConnectionPool, PoolClient } from '../pool/pool';

/** What one round of read-only catalog queries found on the primary. */
export interface DatabaseStats {
  readonly database: string;
  readonly maxConnections: number;
  /** Client backends on the whole server by `pg_stat_activity.state` (`unknown` when not visible). */
  readonly connections: ReadonlyMap<string, number>;
  /** Cumulative block reads served from shared buffers, and from outside them. */
  readonly blocksHit: number;
  readonly blocksRead: number;
  readonly deadlocks: number;
  /** Seconds the oldest open transaction in this database has run (0 when none). */
  readonly longestTransaction: number;
  /** Backends in this database waiting for a heavyweight lock. */
  readonly lockWaiting: number;
  /** Seconds the longest current lock wait has lasted (0 when none). */
  readonly longestLockWait: number;
  /** Dead tuples over all tuples, by `schema.table`. */
  readonly deadTupleRatio: ReadonlyMap<string, number>;
}

const DATABASE_SQL = `select current_database() as database,
  current_setting('max_connections')::int as max_connections,
  blks_hit::float8 as blocks_hit, blks_read::float8 as blocks_read, deadlocks::float8 as deadlocks,
  coalesce((select extract(epoch from max(clock_timestamp() - xact_start)) from pg_stat_activity
    where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()),
    0)::float8 as longest_transaction
from pg_stat_database where datname = current_database()`;

const CONNECTIONS_SQL = `select coalesce(state, 'unknown') as state, count(*)::int as count
from pg_stat_activity where backend_type = 'client backend' group by 1`;

// A row lock wait is a wait on a transaction id, whose pg_locks row has no database: filter through the backend.
const LOCKS_SQL = `select count(distinct l.pid)::int as waiting,
  coalesce(extract(epoch from max(clock_timestamp() - l.waitstart)), 0)::float8 as longest_wait
from pg_locks l join pg_stat_activity a on a.pid = l.pid
where not l.granted and a.datname = current_database()`;

const TABLES_SQL = `select schemaname || '.' || relname as name, n_live_tup::float8 as live, n_dead_tup::float8 as dead
from pg_stat_user_tables where relname = any($1) or schemaname || '.' || relname = any($1)`;

// Without a streaming WAL receiver, received = replayed says nothing: fall back to the replay time.
const REPLICA_LAG_SQL = `select case
  when not pg_is_in_recovery() then null
  when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
    and exists (select 1 from pg_stat_wal_receiver where status = 'streaming') then 0
  else extract(epoch from clock_timestamp() - pg_last_xact_replay_timestamp()) end::float8 as lag`;

async function withClient<T>(pool: ConnectionPool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}

async function rows<R>(client: PoolClient, text: string, values: unknown[] = []): Promise<R[]> {
  return (await client.query<R>(text, values)).rows;
}

interface DatabaseRow {
  database: string;
  max_connections: number;
  blocks_hit: number;
  blocks_read: number;
  deadlocks: number;
  longest_transaction: number;
}

/** Reads the primary's health from the statistics views, on one connection of the engine's pool. */
export function readDatabaseStats(pool: ConnectionPool, tables: readonly string[]): Promise<DatabaseStats> {
  return withClient(pool, async (client) => {
    const [database] = await rows<DatabaseRow>(client, DATABASE_SQL);
    const connections = await rows<{ state: string; count: number }>(client, CONNECTIONS_SQL);
    const [locks] = await rows<{ waiting: number; longest_wait: number }>(client, LOCKS_SQL);
    const tableRows =
      tables.length === 0
        ? []
        : await rows<{ name: string; live: number; dead: number }>(client, TABLES_SQL, [tables]);
    if (database === undefined) throw new Error('pg_stat_database has no row for the current database');
    return {
      database: database.database,
      maxConnections: database.max_connections,
      connections: new Map(connections.map((row) => [row.state, row.count])),
      blocksHit: database.blocks_hit,
      blocksRead: database.blocks_read,
      deadlocks: database.deadlocks,
      longestTransaction: database.longest_transaction,
      lockWaiting: locks?.waiting ?? 0,
      longestLockWait: locks?.longest_wait ?? 0,
      deadTupleRatio: new Map(
        tableRows.map((row) => [row.name, row.live + row.dead > 0 ? row.dead / (row.live + row.dead) : 0]),
      ),
    };
  });
}

/** A replica's replay lag in seconds as it sees it; null when it is not (or no longer) a standby. */
export async function readReplicaLag(pool: ConnectionPool): Promise<number | null> {
  return withClient(pool, async (client) => {
    const [row] = await rows<{ lag: number | null }>(client, REPLICA_LAG_SQL);
    return row?.lag ?? null;
  });
}
