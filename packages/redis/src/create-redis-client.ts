import { type MeterProvider, metrics } from '@opentelemetry/api';
import { IoredisClient } from './ioredis-client';
import {
  type ConnectionOptions,
  connectionState,
  openConnection,
  type RedisConnection,
  watchConnection,
} from './ioredis-connection';
import { type Logger, silentLogger } from './logger';
import { NoopRedisClient } from './noop-redis-client';
import type { RedisClient } from './redis-client';
import { RedisConnectionError } from './redis-errors';
import { RedisMetrics } from './redis-metrics';
import {
  fromSettings,
  type RedisOptions,
  type RedisSettingsSource,
  resolveRedisOptions,
} from './redis-options';

export interface CreateRedisClientOptions {
  /** Where the client logs connection events; silent by default. Keys and values are never logged. */
  logger?: Logger;
  /** Where the client records metrics; the global provider when omitted. */
  meterProvider?: MeterProvider;
}

/**
 * Creates the Redis client that `settings` (or `options`) describe, ready to use:
 * - no topology (no host, URL, Sentinels or cluster nodes): the no-op client (`isNoop: true`), logged
 *   once at info;
 * - a topology: an ioredis client, once Redis answers within `readyTimeoutMs`. When it does not, a
 *   warning and the no-op client (`fallback: 'noop'`, the default, like Letta) or a
 *   `RedisConnectionError` (`fallback: 'throw'`).
 *
 * Invalid options throw a `RedisOptionsError` before anything connects.
 */
export async function createRedisClient(
  source: RedisSettingsSource | RedisOptions,
  { logger = silentLogger, meterProvider }: CreateRedisClientOptions = {},
): Promise<RedisClient> {
  const options = resolveRedisOptions('redisHost' in source ? fromSettings(source) : source);
  const { topology } = options;
  if (topology === null) {
    logger.info(
      {},
      'Redis is not configured (no LETTA_REDIS_HOST, LETTA_REDIS_URL, LETTA_REDIS_SENTINELS or ' +
        'LETTA_REDIS_CLUSTER_NODES, or LETTA_REDIS_PORT is unset); using the no-op Redis client',
    );
    return new NoopRedisClient();
  }
  const connectionOptions: ConnectionOptions = { ...options, topology };
  const connection = openConnection(connectionOptions, 'commands');
  const recorder = RedisMetrics.create(meterProvider ?? metrics.getMeterProvider(), () =>
    connectionState(connection.status),
  );
  const watch = watchConnection(connection, logger, topology, options.db, recorder);
  const server = { ...topology.logFields, db: options.db };

  if (!(await becomesReady(connection, options.readyTimeoutMs))) {
    watch.stop();
    recorder?.stop();
    connection.disconnect();
    const reason = watch.lastError()?.message.replace(/\.$/, '') ?? 'no answer';
    if (options.fallback === 'throw') {
      throw new RedisConnectionError(
        `Redis at ${topology.where} was not ready within ${options.readyTimeoutMs} ms (readyTimeoutMs): ` +
          `${reason}. Start Redis or fix ${topology.envVars}, or pass fallback: 'noop' to run without it.`,
      );
    }
    logger.warn(
      { ...server, readyTimeoutMs: options.readyTimeoutMs, error: reason },
      'Redis was not ready in time; using the no-op Redis client for the life of this client',
    );
    return new NoopRedisClient();
  }

  logger.info(server, 'Redis client connected');
  return new IoredisClient(connection, connectionOptions, watch, recorder, logger);
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
