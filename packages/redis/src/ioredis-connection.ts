import { Redis } from 'ioredis';
import type { Logger } from './logger';
import type { ConnectionState } from './redis-metrics';
import type { ResolvedRedisOptions } from './redis-options';

/**
 * The part of an ioredis client this package uses. Every connection is made by `openConnection`, the one
 * place where a Sentinel- or Cluster-backed ioredis client can be slotted in.
 */
export type RedisConnection = Pick<
  Redis,
  | 'status'
  | 'connect'
  | 'quit'
  | 'disconnect'
  | 'on'
  | 'once'
  | 'off'
  | 'call'
  | 'eval'
  | 'evalsha'
  | 'get'
  | 'set'
  | 'exists'
  | 'del'
  | 'incr'
  | 'decr'
  | 'sadd'
  | 'srem'
  | 'smembers'
  | 'scard'
  | 'smismember'
  | 'xlen'
  | 'xdel'
  | 'ping'
>;

/** Options of a configured (not no-op) client. */
export type ConnectionOptions = ResolvedRedisOptions & { host: string; port: number };

/**
 * Opens a lazily connecting ioredis client pinned to this package's semantics:
 * - RESP2 (`protocol: 2`), so replies have the same shapes on every Redis-compatible server;
 * - fail fast while Redis is down: no offline queue (commands are rejected at once instead of piling up)
 *   and no resend of in-flight commands after a reconnect (a write must never run twice);
 * - reconnect forever with capped, jittered exponential backoff.
 *
 * The `blocking` role serves blocking `XREAD`s: it has no command timeout, because the caller sets a
 * deadline of `block` plus the command timeout.
 */
export function openConnection(options: ConnectionOptions, role: 'commands' | 'blocking'): RedisConnection {
  const maxDelay = options.maxReconnectDelayMs;
  return new Redis({
    host: options.host,
    port: options.port,
    username: options.username ?? undefined,
    password: options.password?.reveal(),
    db: options.db,
    tls: options.tls ?? undefined,
    protocol: 2,
    connectTimeout: options.connectTimeoutMs,
    commandTimeout: role === 'commands' ? options.commandTimeoutMs : undefined,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => {
      const delay = Math.min(maxDelay, 50 * 2 ** (attempt - 1));
      return Math.round(delay / 2 + (Math.random() * delay) / 2);
    },
  });
}

/** The connection-state metric's view of an ioredis status. */
export function connectionState(status: RedisConnection['status']): ConnectionState {
  switch (status) {
    case 'ready':
      return 'ready';
    case 'end':
      return 'closed';
    case 'close':
    case 'reconnecting':
      return 'reconnecting';
    default:
      return 'connecting';
  }
}

/** What `watchConnection` knows about the command connection. */
export interface ConnectionWatch {
  /** The last connection error, for the startup message. */
  lastError(): Error | null;
  /** The client is closing the connection on purpose: stop reporting its loss. */
  stop(): void;
}

/**
 * Logs the life of the command connection without flooding: every connection error at debug, the loss
 * of a ready connection once at warn, its return at info.
 */
export function watchConnection(
  connection: RedisConnection,
  logger: Logger,
  server: { host: string; port: number },
): ConnectionWatch {
  let lastError: Error | null = null;
  let ready = false;
  let lost = false;
  let stopped = false;
  connection.on('error', (error: Error) => {
    lastError = error;
    logger.debug({ ...server, error: error.message }, 'Redis connection error');
  });
  connection.on('close', () => {
    if (!ready || stopped) return;
    ready = false;
    lost = true;
    logger.warn(server, 'Redis connection lost; commands fail fast while the client reconnects');
  });
  connection.on('ready', () => {
    ready = true;
    if (lost) logger.info(server, 'Redis connection restored');
    lost = false;
  });
  return {
    lastError: () => lastError,
    stop: () => {
      stopped = true;
    },
  };
}
