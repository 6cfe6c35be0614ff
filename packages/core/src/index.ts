export {
  BOUND_INSTRUMENTS,
  type BoundAttributes,
  type BoundCounter,
  type BoundCounterOptions,
  type BoundHistogram,
  type BoundHistogramOptions,
  type BoundInstrumentFactory,
  boundInstrumentsOf,
  type InstrumentScope,
  recordingWith,
} from './bound-instruments';
export { ConfigError, type ConfigIssue } from './config-error';
export { type DatabaseUri, parseDatabaseUri } from './database-uri';
export { DatabaseUriError, type DatabaseUriLocation } from './database-uri-error';
export { LettaError } from './letta-error';
export { type LogFn, type Logger, silentLogger } from './logger';
export { lettaPoolDefaults } from './pool-defaults';
export { redactCredentials, redactUri } from './redact-uri';
export {
  checkRedisTopology,
  REDIS_TOPOLOGY_CHOICES,
  type RedisTopologyCheck,
  type RedisTopologyChoice,
  type RedisTopologyFields,
  type RedisTopologyProblem,
} from './redis-topology-rules';
export { isSecretLike, REDACTED, reveal, Secret, type SecretLike, toSecret } from './secret';
