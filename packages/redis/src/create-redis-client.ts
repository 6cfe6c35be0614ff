import { type Logger, silentLogger } from '@letta/core';
import { type MeterProvider, metrics, type TracerProvider } from '@opentelemetry/api';
import { CommandTracing } from './command-tracing';
import { type ConnectionWatch, watchConnection } from './connection-watch';
import { whatToFix } from './credentials-hint';
import { IoredisClient } from './ioredis-client';
import {
  type ConnectionOptions,
  connectionState,
  loadIoredis,
  openConnection,
  type RedisConnection,
} from './ioredis-connection';
import { NoopRedisClient } from './noop-redis-client';
import type { RedisClient } from './redis-client';
import { RedisConnectionError } from './redis-errors';
import { RedisMetrics } from './redis-metrics';
import type { RedisOptions } from './redis-options';
import { resolveRedisOptions } from './resolve-redis-options';

/** Where a client sends its logs and metrics. */
export interface CreateRedisClientOptions {
  /** Where the client logs connection events; silent by default. Keys and values are never logged. */
  logger?: Logger;
  /** Where the client records metrics; the global provider when omitted. */
  meterProvider?: MeterProvider;
  /**
   * Records a client span per command (no keys or values) through this provider, e.g.
   * `telemetry.tracerProvider`. Omitted: no command spans, and no cost for them.
   */
  tracerProvider?: TracerProvider;
}

/**
 * Creates the Redis client that `options` describe, ready to use (for Letta's settings, pass
 * `redisOptionsFromSettings(settings)`):
 * - no topology (no host, URL, Sentinels or cluster nodes): the no-op client (`isNoop: true`), logged
 *   once at info;
 * - a topology: an ioredis client, once Redis answers within `readyTimeoutMs`. When it does not, a
 *   warning and the no-op client (`fallback: 'noop'`, the default, like Letta) or a
 *   `RedisConnectionError` (`fallback: 'throw'`).
 *
 * Invalid options throw a `RedisOptionsError` before anything connects.
 */
export async function createRedisClient(
  options: RedisOptions,
  { logger = silentLogger, meterProvider, tracerProvider }: CreateRedisClientOptions = {},
): Promise<RedisClient> {
  const resolved = resolveRedisOptions(options);
  const { topology } = resolved;
  if (topology === null) {
    logger.info(
      {},
      'Redis is not configured (no LETTA_REDIS_HOST, LETTA_REDIS_URL, LETTA_REDIS_SENTINELS or ' +
        'LETTA_REDIS_CLUSTER_NODES, or LETTA_REDIS_PORT is unset); using the no-op Redis client',
    );
    return new NoopRedisClient();
  }
  const connectionOptions: ConnectionOptions = { ...resolved, topology };
  await loadIoredis();
  const connection = openConnection(connectionOptions);
  const recorder = RedisMetrics.create(meterProvider ?? metrics.getMeterProvider(), () =>
    connectionState(connection.status),
  );
  const watch = watchConnection(connection, logger, topology, resolved.db, recorder);

  if (!(await becomesReady(connection, resolved.readyTimeoutMs))) {
    watch.close();
    recorder?.close();
    connection.disconnect();
    return notReady(connectionOptions, watch, logger);
  }

  logger.info({ ...topology.logFields, db: resolved.db }, 'Redis client connected');
  const tracing = CommandTracing.create(tracerProvider, topology, resolved.db);
  return new IoredisClient(connection, connectionOptions, watch, recorder, logger, tracing);
}

/** Redis did not answer in time: the no-op client with a warning, or an error with `fallback: 'throw'`. */
function notReady(options: ConnectionOptions, watch: ConnectionWatch, logger: Logger): NoopRedisClient {
  const { topology, readyTimeoutMs } = options;
  const reason = watch.lastError()?.message.replace(/\.$/, '') ?? 'no answer';
  if (options.fallback === 'throw') {
    throw new RedisConnectionError(
      `Redis at ${topology.where} was not ready within ${readyTimeoutMs} ms (readyTimeoutMs): ` +
        `${reason}. Start Redis or fix ${whatToFix(reason, topology.envVars)}, or pass fallback: 'noop' ` +
        'to run without it.',
    );
  }
  logger.warn(
    {
      ...topology.logFields,
      db: options.db,
      readyTimeoutMs,
      error: reason,
      fix: whatToFix(reason, topology.envVars),
    },
    'Redis was not ready in time; using the no-op Redis client for the life of this client',
  );
  return new NoopRedisClient();
}

/** Connects and waits for `ready`; failed attempts are retried with backoff until the deadline. */
function becomesReady(connection: RedisConnection, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      connection.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    connection.once('ready', onReady);
    connection.connect().catch(() => {});
  });
}
