import { LettaError } from '@letta/core';
import {
  ConnectionLostError,
  ConnectTimeoutError,
  DatabaseConnectError,
  DatabaseUnavailableError,
} from './pool-errors';

/** Socket errors that mean the connection (or the attempt to open one) is gone. */
const SOCKET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTCONN',
]);

/** Errors that only opening a connection meets: a name that does not resolve (yet). */
const RESOLVE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN']);

/** too_many_connections: the server has no free connection slot. */
const TOO_MANY_CLIENTS = '53300';

/** SQLSTATEs for a server that ends the session: admin_shutdown (also pg_terminate_backend), crash_shutdown, cannot_connect_now. */
const SHUTDOWN_STATES = new Set(['57P01', '57P02', '57P03']);

/** pg's own messages for a socket that closed or a client that can no longer send. */
const PG_MESSAGES = /^(Connection terminated|Client has encountered a connection error|Client was closed)/;

/**
 * Whether an error means the connection failed rather than the statement: SQLAlchemy's `is_disconnect`.
 * SQLSTATE class 08 is "connection exception".
 */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof ConnectionLostError || error instanceof DatabaseUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (SOCKET_CODES.has(code) || SHUTDOWN_STATES.has(code) || code.startsWith('08'))
  ) {
    return true;
  }
  return PG_MESSAGES.test(error.message);
}

/**
 * What a failed attempt to open a connection becomes for the caller: `DatabaseUnavailableError` (or its
 * `ConnectTimeoutError`) when the server cannot be reached or cannot take a session now, a retry being
 * worthwhile; `DatabaseConnectError` when it refused this client (credentials, database, TLS).
 */
export function connectFailure(
  error: unknown,
  site: { readonly pool: string; readonly target: string; readonly timeoutSetting: string },
): LettaError {
  if (error instanceof ConnectTimeoutError) {
    return new ConnectTimeoutError(site.target, error.timeoutMs, {
      pool: site.pool,
      setting: site.timeoutSetting,
    });
  }
  if (error instanceof LettaError) return error;
  const cause = error instanceof Error ? error : new Error(String(error));
  const code = (cause as { code?: unknown }).code;
  if (code === TOO_MANY_CLIENTS) {
    return new DatabaseUnavailableError(
      {
        pool: site.pool,
        setting: "the server's max_connections against poolSize + maxOverflow of every instance",
      },
      `${site.target} has no free connection slot: ${cause.message}`,
      { cause },
    );
  }
  if (typeof code === 'string' && SHUTDOWN_STATES.has(code)) {
    return new DatabaseUnavailableError(
      {
        pool: site.pool,
        setting: 'the state of the server (it is shutting down, restarting or starting up)',
      },
      `${site.target} does not accept sessions now: ${cause.message}`,
      { cause },
    );
  }
  if (isConnectionFailure(cause) || (typeof code === 'string' && RESOLVE_CODES.has(code))) {
    return new DatabaseUnavailableError(
      {
        pool: site.pool,
        setting: "the host and port in the pool's URI (LETTA_PG_URI) and that the server is running",
      },
      `${site.target} cannot be reached: ${cause.message}`,
      { cause },
    );
  }
  return new DatabaseConnectError(site.pool, site.target, cause);
}

/**
 * A short, bounded name for an error's kind, safe as a metric attribute or log field: the driver's code
 * (SQLSTATE or errno), else the class name, which for this package's own errors says more than its code.
 */
export function errorType(error: unknown): string {
  if (error instanceof Error) {
    const code = error instanceof LettaError ? driverCodeOf(error) : (error as { code?: unknown }).code;
    return typeof code === 'string' && /^[A-Z0-9_]{2,32}$/.test(code) ? code : error.name;
  }
  return typeof error;
}

function driverCodeOf(error: LettaError): string | undefined {
  return error instanceof ConnectionLostError ||
    error instanceof DatabaseUnavailableError ||
    error instanceof DatabaseConnectError
    ? error.driverCode
    : undefined;
}
