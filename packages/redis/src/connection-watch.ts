import type { Logger } from '@letta/core';
import type { RedisConnection } from './ioredis-connection';
import type { RedisMetrics } from './redis-metrics';
import type { RedisTopology } from './redis-topology';
import { TopologyWatch } from './topology-watch';

/** What `watchConnection` knows about the command connection. */
export interface ConnectionWatch {
  /** The last connection error, for the startup message. */
  lastError(): Error | null;
  /** The client is closing the connection on purpose: stop reporting its loss. */
  close(): void;
}

/**
 * Logs the life of the command connection without flooding: every connection error at debug, the loss
 * of a ready connection once at warn, its return at info; and follows failovers and cluster changes.
 */
export function watchConnection(
  connection: RedisConnection,
  logger: Logger,
  topology: RedisTopology,
  db: number,
  metrics: RedisMetrics | null,
): ConnectionWatch {
  const server = { ...topology.logFields, db };
  const topologyWatch = new TopologyWatch(connection, topology, logger, metrics);
  let lastError: Error | null = null;
  let ready = false;
  let lost = false;
  let stopped = false;
  const onError = (error: Error) => {
    lastError = error;
    logger.debug({ ...server, error: error.message }, 'Redis connection error');
  };
  connection.on('error', onError);
  // A Sentinel that cannot be reached, or does not know the master group, explains a failed start best.
  connection.on('sentinelError', onError);
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
    close: () => {
      stopped = true;
      topologyWatch.close();
    },
  };
}
