import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { checkInteger, invalid } from './option-checks';
import { RedisOptionsError } from './redis-errors';
import { type RedisAddress, type RedisTopology, resolveTopology, type UrlParts } from './redis-topology';

/** A secret value, such as `Secret` from `@letta/settings`: printed redacted, revealed on demand. */
export interface SecretLike {
  reveal(): string;
}

/**
 * The settings fields this package reads. The `Settings` object of `@letta/settings` satisfies it, and
 * so does any object with these fields (the topology fields are optional, for older sources).
 */
export interface RedisSettingsSource {
  redisHost: string | null;
  redisPort: number | null;
  redisPassword: SecretLike | null;
  redisUsername: string | null;
  redisDb: number;
  redisTls: boolean;
  redisUrl?: SecretLike | null;
  redisSentinels?: readonly RedisAddress[];
  redisSentinelName?: string | null;
  redisClusterNodes?: readonly RedisAddress[];
}

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

/** `RedisOptions` with every default applied and every value checked. */
export interface ResolvedRedisOptions {
  /** `null`: nothing configured, the no-op client. */
  topology: RedisTopology | null;
  username: string | null;
  password: SecretLike | null;
  db: number;
  tls: TlsOptions | null;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  readyTimeoutMs: number;
  fallback: RedisFallback;
  retryOnTimeout: boolean;
  maxReconnectDelayMs: number;
  maxBlockingConnections: number;
  lockReplicas: number;
  lockReplicaTimeoutMs: number;
}

/** The Redis options Letta's settings describe (`LETTA_REDIS_HOST`, `LETTA_REDIS_URL`, …). */
export function fromSettings(settings: RedisSettingsSource): RedisOptions {
  return {
    host: settings.redisHost,
    port: settings.redisPort,
    url: settings.redisUrl ?? null,
    sentinels: settings.redisSentinels ?? null,
    sentinelName: settings.redisSentinelName ?? null,
    clusterNodes: settings.redisClusterNodes ?? null,
    username: settings.redisUsername,
    password: settings.redisPassword,
    db: settings.redisDb,
    tls: settings.redisTls,
  };
}

const FALLBACKS: readonly RedisFallback[] = ['noop', 'throw'];

/** Applies the defaults and validates every option once, so nothing is checked on the command path. */
export function resolveRedisOptions(options: RedisOptions): ResolvedRedisOptions {
  const { topology, url } = resolveTopology(options);
  const resolved: ResolvedRedisOptions = {
    topology,
    username: url?.username ?? (options.username || null),
    password: url?.password ? new PlainPassword(url.password) : toSecret(options.password),
    db: url?.db ?? options.db ?? 0,
    tls: resolveTls(options.tls, url),
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    commandTimeoutMs: options.commandTimeoutMs ?? 5_000,
    readyTimeoutMs: options.readyTimeoutMs ?? 5_000,
    fallback: options.fallback ?? 'noop',
    retryOnTimeout: options.retryOnTimeout ?? true,
    maxReconnectDelayMs: options.maxReconnectDelayMs ?? 2_000,
    maxBlockingConnections: options.maxBlockingConnections ?? 50,
    lockReplicas: options.lockReplicas ?? (topology?.kind === 'sentinel' ? 1 : 0),
    lockReplicaTimeoutMs: options.lockReplicaTimeoutMs ?? 500,
  };
  checkInteger('db (LETTA_REDIS_DB)', resolved.db, 0, Number.MAX_SAFE_INTEGER);
  if (topology?.kind === 'cluster' && resolved.db !== 0) {
    invalid('db (LETTA_REDIS_DB)', '0 with clusterNodes (a Redis Cluster has only database 0)', resolved.db);
  }
  checkInteger('connectTimeoutMs', resolved.connectTimeoutMs, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('commandTimeoutMs', resolved.commandTimeoutMs, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('readyTimeoutMs', resolved.readyTimeoutMs, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('maxReconnectDelayMs', resolved.maxReconnectDelayMs, 50, Number.MAX_SAFE_INTEGER);
  checkInteger('maxBlockingConnections', resolved.maxBlockingConnections, 1, 10_000);
  checkInteger('lockReplicas', resolved.lockReplicas, 0, 1_000);
  checkInteger('lockReplicaTimeoutMs', resolved.lockReplicaTimeoutMs, 1, Number.MAX_SAFE_INTEGER);
  if (!FALLBACKS.includes(resolved.fallback)) {
    invalid('fallback', "'noop' or 'throw'", resolved.fallback);
  }
  return resolved;
}

/** `rediss://` turns TLS on; `redis://` with TLS asked for elsewhere is a contradiction, not a choice. */
function resolveTls(tls: RedisOptions['tls'], url: UrlParts | null): TlsOptions | null {
  const asked = tls === true ? {} : tls || null;
  if (url === null) return asked;
  if (url.tls) return asked ?? {};
  if (asked !== null) {
    throw new RedisOptionsError(
      'Redis option tls (LETTA_REDIS_TLS) is on, but url (LETTA_REDIS_URL) is a plain redis:// URL. Use a ' +
        'rediss:// URL for TLS, or turn tls off.',
    );
  }
  return null;
}

function toSecret(password: SecretLike | string | null | undefined): SecretLike | null {
  if (password === undefined || password === null || password === '') return null;
  return typeof password === 'string' ? new PlainPassword(password) : password;
}

/** A password given as a plain string, kept out of `String()`, JSON and `util.inspect` output. */
class PlainPassword implements SecretLike {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
}
