import type { Logger } from '@letta/core';
import type { Cluster, Redis } from 'ioredis';
import { loadedIoredis, type RedisConnection } from './ioredis-connection';
import type { RedisMetrics, TopologyEvent } from './redis-metrics';
import type { RedisTopology } from './redis-topology';

const SLOTS = 16_384;

/** A log line for a topology event. */
interface EventLog {
  level: 'debug' | 'info' | 'warn';
  fields: object;
  message: string;
}

/**
 * Follows failovers and cluster changes on the command connection: logs them and counts them in
 * `redis_topology_events_total`.
 */
export class TopologyWatch {
  readonly #logger: Logger;
  readonly #fields: object;
  readonly #metrics: RedisMetrics | null;
  #closed = false;

  constructor(
    connection: RedisConnection,
    topology: RedisTopology,
    logger: Logger,
    metrics: RedisMetrics | null,
  ) {
    this.#logger = logger;
    this.#fields = topology.logFields;
    this.#metrics = metrics;
    const { Cluster, Redis } = loadedIoredis();
    if (connection instanceof Cluster) this.#watchCluster(connection);
    else if (topology.kind === 'sentinel' && connection instanceof Redis) this.#watchSentinels(connection);
  }

  /** The client is closing: its connections going away are not topology events. */
  close(): void {
    this.#closed = true;
  }

  /** Counts `event` and, with a `log`, logs it. */
  #record(event: TopologyEvent, log?: EventLog): void {
    if (this.#closed) return;
    this.#metrics?.recordTopologyEvent(event);
    if (log) this.#logger[log.level]({ ...this.#fields, ...log.fields }, log.message);
  }

  #watchSentinels(connection: Redis): void {
    let primary: string | null = null;
    connection.on('ready', () => {
      const { remoteAddress, remotePort } = connection.stream;
      const current = `${remoteAddress}:${remotePort}`;
      if (primary !== null && current !== primary) {
        this.#record('primary_changed', {
          level: 'warn',
          fields: { from: primary, to: current },
          message: 'Redis primary changed (Sentinel failover); commands now go to the new primary',
        });
      }
      primary = current;
    });
    // The connection watch logs the error; here it is only counted.
    connection.on('sentinelError', () => this.#record('sentinel_unreachable'));
  }

  #watchCluster(cluster: Cluster): void {
    let owners: string[] | null = null;
    cluster.on('refresh', () => {
      const current = Array.from({ length: SLOTS }, (_, slot) => cluster.slots[slot]?.[0] ?? '');
      const moved = owners === null ? 0 : current.filter((owner, slot) => owner !== owners?.[slot]).length;
      owners = current;
      if (moved > 0) {
        this.#record('slot_map_changed', {
          level: 'info',
          fields: { movedSlots: moved },
          message: 'Redis Cluster slots moved to other nodes; the client follows the new slot map',
        });
      }
    });
    const nodeOf = (node: Redis) => `${node.options.host}:${node.options.port}`;
    cluster.on('+node', (node: Redis) =>
      this.#record('node_added', {
        level: 'debug',
        fields: { node: nodeOf(node) },
        message: 'Redis Cluster node added',
      }),
    );
    cluster.on('-node', (node: Redis) =>
      this.#record('node_removed', {
        level: 'warn',
        fields: { node: nodeOf(node) },
        message: 'Redis Cluster node dropped; its slots are found again through the other nodes',
      }),
    );
  }
}
