/** Seconds with two decimals, as SQLAlchemy prints its pool timeout (`%0.2f`). */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

/**
 * A checkout waited `poolTimeoutMs` at capacity without getting a connection. The message is
 * SQLAlchemy's own, so log searches and alerts written for Letta keep matching; `code` is its error code.
 */
export class PoolTimeoutError extends Error {
  override readonly name = 'PoolTimeoutError';
  /** SQLAlchemy's error code for this condition (https://sqlalche.me/e/20/3o7r). */
  readonly code = '3o7r';
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
export class ConnectTimeoutError extends Error {
  override readonly name = 'ConnectTimeoutError';
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
 * connection; retrying the operation gets a new one. `code` is the driver's code (SQLSTATE or errno).
 */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';
  readonly code: string | undefined;

  constructor(cause: Error) {
    super(
      `The database connection was lost while it was in use (${cause.message}). The pool discarded it; ` +
        'retry the operation to run it on a new connection.',
      { cause },
    );
    const code: unknown = (cause as Error & { code?: unknown }).code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/** `connect()` was called on a pool (or an engine) that was already closed. */
export class PoolClosedError extends Error {
  override readonly name = 'PoolClosedError';

  constructor(poolName: string) {
    super(
      `The pool "${poolName}" is closed, so it hands out no more connections. Create a new pool or engine.`,
    );
  }
}

/** A connection failure kept every attempt of `engine.transaction()` from starting its body. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  readonly attempts: number;

  constructor(attempts: number, cause: unknown) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(
      `The database could not be reached in ${attempts} attempts before the transaction started (last error: ` +
        `${reason}). Nothing was run; retry the request once the database is reachable.`,
      { cause },
    );
    this.attempts = attempts;
  }
}

/** A database URI that cannot be used; the message shows the URI with its password redacted. */
export class DatabaseUriError extends Error {
  override readonly name = 'DatabaseUriError';
}

/** An option (or the setting it came from) has a value the pool or engine cannot use. */
export class InvalidOptionError extends Error {
  override readonly name = 'InvalidOptionError';
  /** The option's name, e.g. `poolSize`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.option = option;
  }
}
