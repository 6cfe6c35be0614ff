import type { PostgresCursor, PostgresQueryResult } from 'kysely';
import type pg from 'pg';
import { isConnectionFailure } from './connection-failure';
import type { PoolClient, QueryConfig } from './pool';
import { ConnectionLostError, StatementTimeoutError } from './pool-errors';
import { withinDeadline } from './round-trip-deadline';

/**
 * How much longer than `statementTimeoutMs` the client waits for an answer before it gives the
 * connection up: the server's own timeout fires first whenever the server is running.
 */
export const CLIENT_DEADLINE_GRACE_MS = 1_000;

/** query_canceled, which the server reports for a statement that reached `statement_timeout`. */
const QUERY_CANCELED = '57014';

/** A query object, as opposed to a cursor (which pg drives itself through its `submit`). */
function isQueryConfig<R>(query: PostgresCursor<R> | QueryConfig): query is QueryConfig {
  return typeof (query as Partial<pg.Submittable>).submit !== 'function';
}

/** What a connection needs from the pool that owns it. */
export interface ConnectionOwner {
  checkin(connection: PooledConnection, error: Error | boolean | undefined): void;
  lost(connection: PooledConnection, error: Error): void;
}

/** What a connection takes from the pool's options. */
export interface ConnectionSettings {
  /** Named in errors. */
  readonly poolName: string;
  /** false: a statement name in a query config is dropped, so pg sends the statement unnamed. */
  readonly namedStatements: boolean;
  /** The server-side `statement_timeout`; the client-side deadline is this plus a grace. null: none. */
  readonly statementTimeoutMs: number | null;
}

/**
 * One physical connection and its bookkeeping (SQLAlchemy's connection record). It is also the client
 * handed out at checkout, so a checkout allocates nothing; Kysely caches its wrapper per instance.
 */
export class PooledConnection implements PoolClient {
  readonly id: number;
  readonly client: pg.Client;
  /** `performance.now()` when it opened. */
  readonly createdAt: number;
  /** When it is due for recycling at checkout; `Infinity` never. */
  readonly expiresAt: number;
  lastReleasedAt: number;
  checkedOutAt = 0;
  checkedOut = false;
  /** Set once the backend or socket is known to be gone. */
  lostError: Error | undefined;
  /** `invalidate` was emitted for it. */
  invalidated = false;
  softInvalidated = false;
  /** The pool is closing it; its own `end` is not a loss. */
  closed = false;
  readonly #owner: ConnectionOwner;
  readonly #settings: ConnectionSettings;

  constructor(
    id: number,
    client: pg.Client,
    owner: ConnectionOwner,
    createdAt: number,
    lifetimeMs: number,
    settings: ConnectionSettings,
  ) {
    this.id = id;
    this.client = client;
    this.#owner = owner;
    this.#settings = settings;
    this.createdAt = createdAt;
    this.lastReleasedAt = createdAt;
    this.expiresAt = createdAt + lifetimeMs;
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(config: QueryConfig): Promise<PostgresQueryResult<R>>;
  query<R>(
    query: string | PostgresCursor<R> | QueryConfig,
    parameters?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof query !== 'string' && !isQueryConfig(query)) {
      return this.client.query(query as PostgresCursor<R> & pg.Submittable);
    }
    const sent =
      typeof query === 'string'
        ? this.client.query(query, parameters as unknown[])
        : this.client.query({
            text: query.text,
            values: query.values as unknown[] | undefined,
            ...(this.#settings.namedStatements && query.name !== undefined && { name: query.name }),
          });
    return this.#bounded(sent as Promise<PostgresQueryResult<R>>).catch(this.#onQueryError);
  }

  release(error?: Error | boolean): void {
    this.#owner.checkin(this, error);
  }

  /** The client-side statement deadline, when `statementTimeoutMs` is set. */
  #bounded<T>(sent: Promise<T>): Promise<T> {
    const { statementTimeoutMs, poolName } = this.#settings;
    if (statementTimeoutMs === null) return sent;
    const deadlineMs = statementTimeoutMs + CLIENT_DEADLINE_GRACE_MS;
    return withinDeadline(
      this.client,
      sent,
      deadlineMs,
      () =>
        new ConnectionLostError(
          new Error(`no answer within ${deadlineMs} ms, the client-side deadline of statementTimeoutMs`),
          poolName,
        ),
    );
  }

  /** A failed statement that means a failed connection is reported as such, and the connection is retired. */
  readonly #onQueryError = (error: unknown): never => {
    const { statementTimeoutMs, poolName } = this.#settings;
    if (
      statementTimeoutMs !== null &&
      (error as { code?: unknown }).code === QUERY_CANCELED &&
      /statement timeout/.test((error as Error).message)
    ) {
      throw new StatementTimeoutError(poolName, statementTimeoutMs, error as Error);
    }
    if (!isConnectionFailure(error)) throw error;
    const cause = error instanceof Error ? error : new Error(String(error));
    this.#owner.lost(this, cause);
    throw cause instanceof ConnectionLostError ? cause : new ConnectionLostError(cause, poolName);
  };
}
