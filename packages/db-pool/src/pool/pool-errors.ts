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

/** Where a database failure happened, for the error to name: never the URI, so never a password. */
export interface FailureSite {
  /** The pool's name (`host:port/database` unless one was given). */
  readonly pool: string;
  /** The option (or Letta variable) to check first. */
  readonly setting: string;
}

/**
 * The database could not be used at all: the connection was refused, the host is unreachable, the server
 * has no free connection slots (53300), is shutting down or starting up (57P01 to 57P03), did not answer
 * a connect or a pre-ping in time. Nothing was sent to it; retrying later may succeed.
 */
export class DatabaseUnavailableError extends LettaError {
  override readonly name: string = 'DatabaseUnavailableError';
  readonly code: string = 'ERR_DB_UNAVAILABLE';
  override readonly retryable = true;
  /** The pool that could not reach its database. */
  readonly pool: string;
  /** The option (or Letta variable) to check first. */
  readonly setting: string;
  /** The driver's code for the failure (an errno such as `ECONNREFUSED`, a SQLSTATE such as `53300`). */
  readonly driverCode: string | undefined;
  /** How many times `engine.transaction()` tried before giving up; 1 elsewhere. */
  readonly attempts: number;

  constructor(site: FailureSite, reason: string, options: { cause?: unknown; attempts?: number } = {}) {
    super(
      `Pool "${site.pool}": the database is unavailable (${reason}). Nothing was run; retry once it is ` +
        `reachable, and check ${site.setting} if it does not recover.`,
      { cause: options.cause },
    );
    this.pool = site.pool;
    this.setting = site.setting;
    this.driverCode = driverCodeOf(options.cause);
    this.attempts = options.attempts ?? 1;
  }
}

/** Opening a new connection took longer than `connectTimeoutMs`; a kind of `DatabaseUnavailableError`. */
export class ConnectTimeoutError extends DatabaseUnavailableError {
  override readonly name = 'ConnectTimeoutError';
  override readonly code = 'ERR_DB_CONNECT_TIMEOUT';
  readonly timeoutMs: number;

  /** `pool` defaults to the target; `setting` to `connectTimeoutMs`. */
  constructor(target: string, timeoutMs: number, site?: Partial<FailureSite>) {
    const setting = site?.setting ?? 'connectTimeoutMs';
    super(
      { pool: site?.pool ?? target, setting },
      `connecting to ${target} timed out after ${timeoutMs} ms (${setting}); check that the database is ` +
        `reachable from this host, or raise ${setting}`,
    );
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The server refused this client for a reason a retry does not fix: wrong credentials (28P01), an unknown
 * database or role (3D000, 28000), a TLS requirement. The message is the server's, which never holds the
 * password.
 */
export class DatabaseConnectError extends LettaError {
  override readonly name = 'DatabaseConnectError';
  readonly code = 'ERR_DB_CONNECT';
  readonly pool: string;
  readonly driverCode: string | undefined;

  constructor(pool: string, target: string, cause: Error) {
    const code = driverCodeOf(cause);
    super(
      `Pool "${pool}" could not connect to ${target}: ${cause.message}${code ? ` (${code})` : ''}. Check the ` +
        "user, password, database name and sslmode in the pool's URI (LETTA_PG_URI).",
      { cause },
    );
    this.pool = pool;
    this.driverCode = code;
  }
}

/**
 * The server or the network dropped a connection while it was in use, or the statement outlived its
 * client-side deadline (`statementTimeoutMs`). The pool has discarded the connection; whether the
 * statement took effect is unknown, so retry only what is safe to repeat.
 */
export class ConnectionLostError extends LettaError {
  override readonly name = 'ConnectionLostError';
  readonly code = 'ERR_DB_CONNECTION_LOST';
  override readonly retryable = true;
  /** The driver's code for the failure (a SQLSTATE such as `57P01`, or an errno such as `ECONNRESET`). */
  readonly driverCode: string | undefined;
  /** The pool the connection belonged to, when known. */
  readonly pool: string | undefined;

  constructor(cause: Error, pool?: string) {
    const owner = pool === undefined ? 'The database connection' : `A connection of pool "${pool}"`;
    super(
      `${owner} was lost while it was in use (${cause.message}). The pool discarded it; retry the ` +
        'operation to run it on a new connection, and check the database server and statementTimeoutMs ' +
        'if it recurs.',
      { cause },
    );
    this.driverCode = driverCodeOf(cause);
    this.pool = pool;
  }
}

/** A statement ran longer than `statementTimeoutMs` and the server cancelled it (SQLSTATE 57014). */
export class StatementTimeoutError extends LettaError {
  override readonly name = 'StatementTimeoutError';
  readonly code = 'ERR_DB_STATEMENT_TIMEOUT';
  readonly pool: string;
  readonly timeoutMs: number;

  constructor(pool: string, timeoutMs: number, cause: Error) {
    super(
      `Pool "${pool}": a statement ran longer than ${timeoutMs} ms and the server cancelled it ` +
        '(statementTimeoutMs). Make the statement faster, or raise statementTimeoutMs.',
      { cause },
    );
    this.pool = pool;
    this.timeoutMs = timeoutMs;
  }
}

/** The driver's errno or SQLSTATE behind a failure, looking through this package's own errors. */
function driverCodeOf(cause: unknown): string | undefined {
  if (cause instanceof DatabaseUnavailableError || cause instanceof ConnectionLostError) {
    return cause.driverCode;
  }
  if (cause instanceof LettaError) return undefined;
  const code: unknown = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
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
