import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type { PoolEventName, PoolListener } from './pool-events';
import type { ResolvedPoolOptions } from './pool-options';

/** `queue`: SQLAlchemy's QueuePool; `null`: no-pool mode (NullPool); `sqlite`: the single embedded connection. */
export type PoolMode = 'queue' | 'null' | 'sqlite';

/** A snapshot of the pool, read live. */
export interface PoolStats {
  /** `poolSize`: how many idle connections are kept. */
  readonly size: number;
  /** Connections handed out (or being opened for a caller). */
  readonly checkedOut: number;
  /** Connections open and waiting in the pool. */
  readonly idle: number;
  /** `total - size`, negative while the pool is below its size (SQLAlchemy's convention). */
  readonly overflow: number;
  /** Callers waiting for a connection at capacity. */
  readonly waiting: number;
  /** Connections open: `checkedOut + idle`. */
  readonly total: number;
  /** The most connections that may be open at once (`Infinity` when unlimited). */
  readonly max: number;
}

/** What every engine's pool offers, Postgres or SQLite: state, SQLAlchemy's status line, and events. */
export interface Pool {
  readonly mode: PoolMode;
  /** The `db.client.connection.pool.name` on metrics: the given name, else `host:port/database`. */
  readonly name: string;
  stats(): PoolStats;
  /**
   * SQLAlchemy's status line, e.g. `Pool size: 25  Connections in pool: 3 Current Overflow: -20 Current
   * Checked out connections: 2`; `NullPool` in no-pool mode.
   */
  status(): string;
  /** Subscribes to a pool event; returns the function that unsubscribes. */
  on<E extends PoolEventName>(event: E, listener: PoolListener<E>): () => void;
  off<E extends PoolEventName>(event: E, listener: PoolListener<E>): void;
}

/**
 * A query in pg's object form. With a `name`, pg prepares the statement once per connection and reuses
 * it; behind PgBouncer in transaction mode set the pool's `namedPreparedStatements: false`.
 */
export interface QueryConfig {
  readonly text: string;
  readonly values?: ReadonlyArray<unknown>;
  readonly name?: string;
}

/** A connection checked out of a `ConnectionPool`. */
export interface PoolClient extends PostgresPoolClient {
  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(config: QueryConfig): Promise<PostgresQueryResult<R>>;
  /**
   * Returns the connection. Passing an error (or `true`) discards it instead of keeping it; a connection
   * whose backend went away is discarded either way, and an open transaction is rolled back first.
   */
  release(error?: Error | boolean): void;
}

/** The Postgres pool: a Kysely `PostgresPool` with SQLAlchemy's QueuePool (or NullPool) behaviour. */
export interface ConnectionPool extends Pool, PostgresPool {
  readonly mode: 'queue' | 'null';
  readonly options: ResolvedPoolOptions;
  /** Checks a connection out, waiting at capacity for at most `poolTimeoutMs`. */
  connect(): Promise<PoolClient>;
  /**
   * Invalidates a checked-out connection. Hard (the default): its socket closes now and it is discarded
   * when released. Soft: it keeps working and is closed when released (SQLAlchemy's `soft_invalidate`).
   */
  invalidate(client: PoolClient, options?: { soft?: boolean; error?: Error }): void;
  /**
   * Closes the pool: waiting callers get `PoolClosedError`, idle connections close now, checked-out ones
   * when they are returned. Resolves once no connection is left open.
   */
  end(): Promise<void>;
}

/** SQLAlchemy's `QueuePool.status()` text (two spaces after the size, as in SQLAlchemy). */
export function formatStatus(stats: PoolStats): string {
  return (
    `Pool size: ${stats.size}  Connections in pool: ${stats.idle} Current Overflow: ${stats.overflow} ` +
    `Current Checked out connections: ${stats.checkedOut}`
  );
}
