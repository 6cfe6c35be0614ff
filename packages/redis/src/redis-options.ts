import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { SecretLike } from '@letta/core';

/** The address of a Redis server, a Sentinel or a cluster node. */
export interface RedisAddress {
  host: string;
  port: number;
}

/** What `createRedisClient` returns when Redis is not ready in time: the no-op client, or an error. */
export type RedisFallback = 'noop' | 'throw';

/**
 * How to reach Redis and how to behave when it is slow or down. Set at most one topology: `host` (with
 * `port`), `url`, `sentinels` (with `sentinelName`) or `clusterNodes`; none selects the no-op client.
 */
export interface RedisOptions {
  /** One Redis server's host; `null` or unset, with no other topology, selects the no-op client. */
  host?: string | null;
  /** @default 6379. `null` with a `host` also selects the no-op client, like Letta. */
  port?: number | null;
  /**
   * One Redis server as a `redis://` or `rediss://` (TLS) URL: `redis://user:password@host:6379/0`. Its
   * parts win over `username`, `password` and `db`, which fill in what it leaves out.
   */
  url?: string | SecretLike | null;
  /** The Sentinels to ask for the current primary; needs `sentinelName`. */
  sentinels?: readonly RedisAddress[] | null;
  /** The name of the master group the Sentinels monitor. */
  sentinelName?: string | null;
  /** Some nodes of a Redis Cluster; the client discovers the rest. */
  clusterNodes?: readonly RedisAddress[] | null;
  username?: string | null;
  /** A plain string is wrapped in a `Secret` at once, so the options print it as `[redacted]`. */
  password?: SecretLike | string | null;
  /** @default 0 (a cluster has only database 0) */
  db?: number;
  /** `true` for TLS with Node's defaults, or Node `tls.connect` options. @default false */
  tls?: boolean | TlsOptions;
  /** How long one connection attempt may take. @default 5000 */
  connectTimeoutMs?: number;
  /** How long a command may wait for its reply; blocking reads get `block` on top. @default 5000 */
  commandTimeoutMs?: number;
  /** How long `createRedisClient` waits for Redis to be ready. @default 5000 */
  readyTimeoutMs?: number;
  /** What `createRedisClient` returns when Redis is not ready in time. @default 'noop' */
  fallback?: RedisFallback;
  /** Retry an idempotent read once after it timed out (never a write). @default true */
  retryOnTimeout?: boolean;
  /** The longest pause between reconnection attempts; the backoff doubles up to it. @default 2000 */
  maxReconnectDelayMs?: number;
  /**
   * How many blocking calls (`xread` with `block`, and lock writes that wait for replicas) may run at
   * once, each on a connection of its own. @default 50
   */
  maxBlockingConnections?: number;
  /**
   * How many replicas must acknowledge a lock (`WAIT`) before `acquireLock` grants it or `extend`
   * reports success, so a failover cannot lose it. `0` does not wait. @default 1 with Sentinels, else 0
   */
  lockReplicas?: number;
  /** How long a lock write waits for `lockReplicas` acknowledgements. @default 500 */
  lockReplicaTimeoutMs?: number;
}
