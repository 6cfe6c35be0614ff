export { type CreateRedisClientOptions, createRedisClient } from './create-redis-client';
export type { LogFn, Logger } from './logger';
export type {
  AcquireLockOptions,
  RedisClient,
  RedisLock,
  SetOptions,
  StreamEntry,
  StreamInfo,
  StreamReadResult,
  XaddOptions,
  XrangeOptions,
  XreadOptions,
  XtrimOptions,
} from './redis-client';
export {
  type LockBusyCode,
  LockBusyError,
  LockReplicationError,
  RedisConnectionError,
  RedisOptionsError,
  RedisTimeoutError,
} from './redis-errors';
export {
  fromSettings,
  type RedisFallback,
  type RedisOptions,
  type RedisSettingsSource,
  type SecretLike,
} from './redis-options';
export type { RedisAddress } from './redis-topology';
