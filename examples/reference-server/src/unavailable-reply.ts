import { ConnectionLostError, DatabaseUnavailableError, PoolTimeoutError } from '@letta/db-pool';
import { RedisConnectionError, RedisTimeoutError } from '@letta/redis';

/** What a client is told to wait before retrying a request the database could not serve. */
export const RETRY_AFTER_SECONDS = 2;

/** A 503 body: what failed, whether the request may have taken effect, and what to do. */
export interface UnavailableBody {
  readonly detail: string;
  /** Which dependency failed: the database, or Redis (which holds the agent write locks). */
  readonly reason: 'database' | 'redis';
  /** The package's error code, e.g. `ERR_DB_UNAVAILABLE`. */
  readonly code: string;
}

/**
 * The 503 for a database or Redis failure, or undefined for any other error. A lost connection may have
 * committed a write before it dropped: the body says so, and an `otid` makes the retry safe.
 */
export function unavailableBody(error: unknown): UnavailableBody | undefined {
  if (error instanceof DatabaseUnavailableError || error instanceof PoolTimeoutError) {
    return {
      detail: `The database is unavailable (${error.code}); nothing was written. Retry after ${RETRY_AFTER_SECONDS} s.`,
      reason: 'database',
      code: error.code,
    };
  }
  if (error instanceof ConnectionLostError) {
    return {
      detail:
        `The database connection was lost during the request (${error.code}); a write may or may not have ` +
        `been stored. Retry after ${RETRY_AFTER_SECONDS} s with the same otid to avoid a duplicate.`,
      reason: 'database',
      code: error.code,
    };
  }
  if (error instanceof RedisConnectionError || error instanceof RedisTimeoutError) {
    return {
      detail: `Redis, which holds the agents' write locks, is unavailable (${error.code}); nothing was written. Retry after ${RETRY_AFTER_SECONDS} s.`,
      reason: 'redis',
      code: error.code,
    };
  }
  return undefined;
}
