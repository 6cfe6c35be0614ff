import type { SecretLike } from '@letta/core';
import type { RedisAddress, RedisOptions } from './redis-options';

/**
 * The settings fields `redisOptionsFromSettings` reads. The `Settings` object of `@letta/settings`
 * satisfies it, and so does any object with these fields (the topology fields are optional).
 */
export interface RedisSettingsInput {
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

/**
 * The Redis options Letta's settings describe (`LETTA_REDIS_HOST`, `LETTA_REDIS_URL`, …), for
 * `createRedisClient`:
 *
 * ```ts
 * const redis = await createRedisClient(redisOptionsFromSettings(loadSettings()), { logger });
 * ```
 */
export function redisOptionsFromSettings(settings: RedisSettingsInput): RedisOptions {
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
