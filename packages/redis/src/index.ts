export type { LogFn, Logger, SecretLike } from '@letta/core';
export { type CreateRedisClientOptions, createRedisClient } from './create-redis-client';
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
  LockBusyError,
  type LockBusyReason,
  LockReplicationError,
  RedisConnectionError,
  RedisOptionsError,
  RedisTimeoutError,
} from './redis-errors';
export type { RedisAddress, RedisFallback, RedisOptions } from './redis-options';
export { type RedisSettingsInput, redisOptionsFromSettings } from './redis-settings';
