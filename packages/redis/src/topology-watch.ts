import { Cluster, Redis } from 'ioredis';
import type { RedisConnection } from './ioredis-connection';
import type { Logger } from './logger';
import type { RedisMetrics, TopologyEvent } from './redis-metrics';
import type { RedisTopology } from './redis-topology';

const SLOTS = 16_384;

/**
 * Follows failovers and cluster changes on the command connection: logs them and counts them in
 * `redis_topology_events_total`. Counting starts once the client is ready, so the first connections
 * of a new client are not counted as changes.
 */
export class TopologyWatch {
  readonly #logger: Logger;
  readonly #fields: object;
  #metrics: RedisMetrics | null = null;
  #counting = false;

  constructor(connection: RedisConnection, topology: RedisTopology, logger: Logger) {
    this.#logger = logger;
    this.#fields = topology.logFields;
    if (connection instanceof Cluster) this.#watchCluster(connection);
    else if (topology.kind === 'sentinel' && connection instanceof Redis) this.#watchSentinels(connection);
  }

  /** Counts (and logs) events from now on, into `metrics` when there are any. */
  start(metrics: RedisMetrics | null): void {
    this.#metrics = metrics;
    this.#counting = true;
  }

  /** The client is closing: its connections going away are not topology events. */
  stop(): void {
    this.#counting = false;
  }

  #record(
    event: TopologyEvent,
    fields: object,
    message: string,
    level: 'debug' | 'info' | 'warn' = 'info',
  ): void {
    if (!this.#counting) return;
    this.#metrics?.recordTopologyEvent(event);
    this.#logger[level]({ ...this.#fields, ...fields }, message);
  }

  #watchSentinels(connection: Redis): void {
    let primary: string | null = null;
    connection.on('ready', () => {
      const { remoteAddress, remotePort } = connection.stream;
      const current = `${remoteAddress}:${remotePort}`;
      if (primary !== null && current !== primary) {
        this.#record(
          'primary_changed',
          { from: primary, to: current },
          'Redis primary changed (Sentinel failover); commands now go to the new primary',
          'warn',
        );
      }
      primary = current;
    });
    connection.on('sentinelError', (error: Error) =>
      this.#record(
        'sentinel_unreachable',
        { error: error.message },
        'A Redis Sentinel could not be used',
        'debug',
      ),
    );
  }

  #watchCluster(cluster: Cluster): void {
    let owners: string[] | null = null;
    cluster.on('refresh', () => {
      const current = Array.from({ length: SLOTS }, (_, slot) => cluster.slots[slot]?.[0] ?? '');
      const moved = owners === null ? 0 : current.filter((owner, slot) => owner !== owners?.[slot]).length;
      owners = current;
      if (moved > 0) {
        this.#record(
          'slot_map_changed',
          { movedSlots: moved },
          'Redis Cluster slots moved to other nodes; the client follows the new slot map',
        );
      }
    });
    const nodeOf = (node: Redis) => `${node.options.host}:${node.options.port}`;
    cluster.on('+node', (node: Redis) =>
      this.#record('node_added', { node: nodeOf(node) }, 'Redis Cluster node connected'),
    );
    cluster.on('-node', (node: Redis) =>
      this.#record('node_removed', { node: nodeOf(node) }, 'Redis Cluster node dropped', 'warn'),
    );
  }
}
