import { LettaError } from '@letta/core';

/** Seconds with two decimals, as SQLAlchemy prints its pool timeout (`%0.2f`). */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

/**
 * A checkout waited `poolTimeoutMs` at capacity without getting a connection. The message is
 * SQLAlchemy's own, so log searches and alerts written for Letta keep matching; `sqlalchemyCode` is its
 * error code.
 */
export class PoolTimeoutError extends LettaError {
  override readonly name = 'PoolTimeoutError';
  readonly code = 'ERR_POOL_TIMEOUT';
  /** SQLAlchemy's error code for this condition (https://sqlalche.me/e/20/3o7r). */
  readonly sqlalchemyCode = '3o7r';
  readonly timeoutMs: number;

  constructor(limit: string, timeoutMs: number) {
    super(`${limit} reached, connection timed out, timeout ${seconds(timeoutMs)}`);
    this.timeoutMs = timeoutMs;
  }

  /** The QueuePool wording: `QueuePool limit of size 25 overflow 10 reached, …`. */
  static queuePool(size: number, overflow: number, timeoutMs: number): PoolTimeoutError {
    return new PoolTimeoutError(`QueuePool limit of size ${size} overflow ${overflow}`, timeoutMs);
  }

  /** The wording when `maxConcurrentSessions` is the limit that was reached. */
  static sessionLimit(pool: 'QueuePool' | 'NullPool', limit: number, timeoutMs: number): PoolTimeoutError {
    return new PoolTimeoutError(`${pool} limit of ${limit} concurrent sessions`, timeoutMs);
  }
}

/** Opening a new connection took longer than `connectTimeoutMs`. */
export class ConnectTimeoutError extends LettaError {
  override readonly name = 'ConnectTimeoutError';
  readonly code = 'ERR_DB_CONNECT_TIMEOUT';
  override readonly retryable = true;
  readonly timeoutMs: number;

  constructor(target: string, timeoutMs: number) {
    super(
      `Connecting to ${target} timed out after ${timeoutMs} ms (connectTimeoutMs). Check that the database ` +
        'is reachable from this host, or raise connectTimeoutMs.',
    );
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The server or the network dropped a connection while it was in use. The pool has discarded the
 * connection; retrying the operation gets a new one.
 */
export class ConnectionLostError extends LettaError {
  override readonly name = 'ConnectionLostError';
  readonly code = 'ERR_DB_CONNECTION_LOST';
  override readonly retryable = true;
  /** The driver's code for the failure (a SQLSTATE such as `57P01`, or an errno such as `ECONNRESET`). */
  readonly driverCode: string | undefined;

  constructor(cause: Error) {
    super(
      `The database connection was lost while it was in use (${cause.message}). The pool discarded it; ` +
        'retry the operation to run it on a new connection.',
      { cause },
    );
    const code: unknown = (cause as Error & { code?: unknown }).code;
    this.driverCode = typeof code === 'string' ? code : undefined;
  }
}

/** `connect()` was called on a pool (or an engine) that was already closed. */
export class PoolClosedError extends LettaError {
  override readonly name = 'PoolClosedError';
  readonly code = 'ERR_POOL_CLOSED';

  constructor(poolName: string) {
    super(
      `The pool "${poolName}" is closed, so it hands out no more connections. Create a new pool or engine.`,
    );
  }
}
