import type { PostgresCursor, PostgresQueryResult } from 'kysely';
import type pg from 'pg';
import { isConnectionFailure } from './connection-failure';
import type { PoolClient, QueryConfig } from './pool';
import { ConnectionLostError } from './pool-errors';

/** A query object, as opposed to a cursor (which pg drives itself through its `submit`). */
function isQueryConfig<R>(query: PostgresCursor<R> | QueryConfig): query is QueryConfig {
  return typeof (query as Partial<pg.Submittable>).submit !== 'function';
}

/** What a connection needs from the pool that owns it. */
export interface ConnectionOwner {
  checkin(connection: PooledConnection, error: Error | boolean | undefined): void;
  lost(connection: PooledConnection, error: Error): void;
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
  /** false: a statement name in a query config is dropped, so pg sends the statement unnamed. */
  readonly #namedStatements: boolean;

  constructor(
    id: number,
    client: pg.Client,
    owner: ConnectionOwner,
    createdAt: number,
    lifetimeMs: number,
    namedStatements: boolean,
  ) {
    this.id = id;
    this.client = client;
    this.#owner = owner;
    this.#namedStatements = namedStatements;
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
            ...(this.#namedStatements && query.name !== undefined && { name: query.name }),
          });
    return (sent as Promise<PostgresQueryResult<R>>).catch(this.#onQueryError);
  }

  release(error?: Error | boolean): void {
    this.#owner.checkin(this, error);
  }

  /** A failed statement that means a failed connection is reported as such, and the connection is retired. */
  readonly #onQueryError = (error: unknown): never => {
    if (!isConnectionFailure(error)) throw error;
    const cause = error instanceof Error ? error : new Error(String(error));
    this.#owner.lost(this, cause);
    throw cause instanceof ConnectionLostError ? cause : new ConnectionLostError(cause);
  };
}
