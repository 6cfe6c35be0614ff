import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { Secret, type SecretLike, toSecret } from '@letta/core';
import { checkInteger, invalid, issueAt, LETTA_OPTION } from './option-checks';
import { RedisOptionsError } from './redis-errors';
import type { RedisFallback, RedisOptions } from './redis-options';
import { type RedisTopology, resolveTopology } from './redis-topology';
import type { RedisUrlParts } from './redis-url';

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

const FALLBACKS: readonly RedisFallback[] = ['noop', 'throw'];

/** Applies the defaults and validates every option once, so nothing is checked on the command path. */
export function resolveRedisOptions(options: RedisOptions): ResolvedRedisOptions {
  const { topology, url } = resolveTopology(options);
  const resolved: ResolvedRedisOptions = {
    topology,
    username: url?.username ?? (options.username || null),
    password: url?.password ? new Secret(url.password) : toSecret(options.password),
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
  checkResolved(resolved);
  return resolved;
}

function checkResolved(resolved: ResolvedRedisOptions): void {
  const { db } = LETTA_OPTION;
  checkInteger(db, resolved.db, 0, Number.MAX_SAFE_INTEGER);
  if (resolved.topology?.kind === 'cluster' && resolved.db !== 0) {
    invalid(db, '0 with clusterNodes (a Redis Cluster has only database 0)', resolved.db);
  }
  const unlimited = Number.MAX_SAFE_INTEGER;
  checkInteger({ path: 'connectTimeoutMs' }, resolved.connectTimeoutMs, 1, unlimited);
  checkInteger({ path: 'commandTimeoutMs' }, resolved.commandTimeoutMs, 1, unlimited);
  checkInteger({ path: 'readyTimeoutMs' }, resolved.readyTimeoutMs, 1, unlimited);
  checkInteger({ path: 'maxReconnectDelayMs' }, resolved.maxReconnectDelayMs, 50, unlimited);
  checkInteger({ path: 'maxBlockingConnections' }, resolved.maxBlockingConnections, 1, 10_000);
  checkInteger({ path: 'lockReplicas' }, resolved.lockReplicas, 0, 1_000);
  checkInteger({ path: 'lockReplicaTimeoutMs' }, resolved.lockReplicaTimeoutMs, 1, unlimited);
  if (!FALLBACKS.includes(resolved.fallback)) {
    invalid({ path: 'fallback' }, "'noop' or 'throw'", resolved.fallback);
  }
}

/** `rediss://` turns TLS on; `redis://` with TLS asked for elsewhere is a contradiction, not a choice. */
function resolveTls(tls: RedisOptions['tls'], url: RedisUrlParts | null): TlsOptions | null {
  const asked = tls === true ? {} : tls || null;
  if (url === null) return asked;
  if (url.tls) return asked ?? {};
  if (asked !== null) {
    throw new RedisOptionsError([
      issueAt(
        LETTA_OPTION.tls,
        'Redis option tls (LETTA_REDIS_TLS) is on, but url (LETTA_REDIS_URL) is a plain redis:// URL. Use a ' +
          'rediss:// URL for TLS, or turn tls off.',
      ),
    ]);
  }
  return null;
}
