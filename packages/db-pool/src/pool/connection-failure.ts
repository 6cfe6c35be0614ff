import { LettaError } from '@letta/core';
import { ConnectionLostError } from './pool-errors';

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

/** SQLSTATEs for a server that ends the session: admin_shutdown (also pg_terminate_backend), crash_shutdown, cannot_connect_now. */
const SHUTDOWN_STATES = new Set(['57P01', '57P02', '57P03']);

/** pg's own messages for a socket that closed or a client that can no longer send. */
const PG_MESSAGES = /^(Connection terminated|Client has encountered a connection error|Client was closed)/;

/**
 * Whether an error means the connection failed rather than the statement: SQLAlchemy's `is_disconnect`.
 * SQLSTATE class 08 is "connection exception".
 */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof ConnectionLostError) return true;
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
  return error instanceof ConnectionLostError ? error.driverCode : undefined;
}
