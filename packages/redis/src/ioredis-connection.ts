import type * as Ioredis from 'ioredis';
import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import type { ConnectionState } from './redis-metrics';
import type { RedisTopology } from './redis-topology';
import type { ResolvedRedisOptions } from './resolve-redis-options';

/**
 * The part of an ioredis client this package uses, which a single-server or Sentinel-backed `Redis`
 * and a `Cluster` share. Every connection is made by `openConnection`.
 */
export type RedisConnection = Pick<
  Redis,
  | 'connect'
  | 'quit'
  | 'disconnect'
  | 'call'
  | 'get'
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
  | 'pipeline'
> &
  ConnectionEvents & { readonly status: Redis['status'] | Cluster['status'] };

type Listener = Parameters<Redis['on']>[1];

/** The event methods of both clients, which differ only in returning `this`. */
interface ConnectionEvents {
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
}

let ioredis: typeof Ioredis | undefined;
let loading: Promise<typeof Ioredis> | undefined;

/**
 * Loads ioredis, once, for the first configured client: importing the package, or creating a no-op
 * client, does not load it.
 */
export async function loadIoredis(): Promise<typeof Ioredis> {
  loading ??= import('ioredis').then((module) => {
    ioredis = module;
    return module;
  });
  return loading;
}

/** ioredis, which `createRedisClient` loaded before it opened the first connection. */
export function loadedIoredis(): typeof Ioredis {
  if (ioredis === undefined) throw new Error('ioredis is used before createRedisClient loaded it');
  return ioredis;
}

/** Options of a configured (not no-op) client. */
export type ConnectionOptions = ResolvedRedisOptions & { topology: RedisTopology };

/**
 * Opens a lazily connecting ioredis client for the topology, pinned to this package's semantics:
 * - RESP2 (`protocol: 2`), so replies have the same shapes on every Redis-compatible server;
 * - fail fast while Redis is down: no offline queue (commands are rejected at once instead of piling up)
 *   and no resend of in-flight commands after a reconnect (a write must never run twice);
 * - reconnect forever with capped, jittered exponential backoff (through a failover, to the new primary).
 *
 * No connection has ioredis' `commandTimeout`: the client times its command connection with
 * `CommandDeadlines`, and the caller of a blocking call sets a deadline of the blocking time plus the
 * command timeout.
 */
export function openConnection(options: ConnectionOptions): RedisConnection {
  const maxDelay = options.maxReconnectDelayMs;
  const backoff = (attempt: number) => {
    const delay = Math.min(maxDelay, 50 * 2 ** (attempt - 1));
    return Math.round(delay / 2 + (Math.random() * delay) / 2);
  };
  const server = {
    username: options.username ?? undefined,
    password: options.password?.reveal(),
    tls: options.tls ?? undefined,
    protocol: 2,
    connectTimeout: options.connectTimeoutMs,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
  } satisfies ClusterOptions['redisOptions'];
  const { Cluster, Redis } = loadedIoredis();
  const { topology } = options;
  if (topology.kind === 'cluster') {
    return new Cluster([...topology.nodes], {
      lazyConnect: true,
      enableOfflineQueue: false,
      clusterRetryStrategy: backoff,
      redisOptions: server,
    });
  }
  const common: RedisOptions = {
    ...server,
    db: options.db,
    lazyConnect: true,
    enableOfflineQueue: false,
    retryStrategy: backoff,
  };
  if (topology.kind === 'standalone')
    return new Redis({ ...common, host: topology.host, port: topology.port });
  return new Redis({
    ...common,
    sentinels: [...topology.sentinels],
    name: topology.name,
    // The primary and the Sentinels are reached alike: both with TLS, or both without.
    enableTLSForSentinelMode: options.tls !== null,
    sentinelTLS: options.tls ?? undefined,
  });
}

/** The connection-state metric's view of an ioredis status. */
export function connectionState(status: RedisConnection['status']): ConnectionState {
  switch (status) {
    case 'ready':
      return 'ready';
    case 'end':
    case 'disconnecting':
      return 'closed';
    case 'close':
    case 'reconnecting':
      return 'reconnecting';
    default:
      return 'connecting';
  }
}
