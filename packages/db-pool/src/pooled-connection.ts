import type { PostgresCursor, PostgresQueryResult } from 'kysely';
import type pg from 'pg';
import { isConnectionFailure } from './connection-failure';
import { ConnectionLostError } from './errors';
import type { PoolClient } from './pool';

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

  constructor(id: number, client: pg.Client, owner: ConnectionOwner, createdAt: number, lifetimeMs: number) {
    this.id = id;
    this.client = client;
    this.#owner = owner;
    this.createdAt = createdAt;
    this.lastReleasedAt = createdAt;
    this.expiresAt = createdAt + lifetimeMs;
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== 'string') {
      return this.client.query(sqlOrCursor as PostgresCursor<R> & pg.Submittable);
    }
    return (
      this.client.query(sqlOrCursor, parameters as unknown[]) as unknown as Promise<PostgresQueryResult<R>>
    ).catch(this.#onQueryError);
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
