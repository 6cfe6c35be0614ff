export { createEngine, type Engine } from './engine/create-engine';
export {
  type EngineOptions,
  type EngineSettingsSource,
  fromSettings,
  type PostgresEngineOptions,
  type SqliteEngineOptions,
} from './engine/engine-options';
export type { TransactionOptions } from './engine/transaction';
export type { LogFn, Logger } from './logger';
export { type CreatePoolOptions, createPool, type InstrumentationOptions } from './pool/create-pool';
export {
  ConnectionLostError,
  ConnectTimeoutError,
  DatabaseUnavailableError,
  DatabaseUriError,
  InvalidOptionError,
  PoolClosedError,
  PoolTimeoutError,
} from './pool/errors';
export type { ConnectionPool, Pool, PoolClient, PoolMode, PoolStats, QueryConfig } from './pool/pool';
export type {
  CheckinEvent,
  CheckoutEvent,
  CloseEvent,
  CloseReason,
  ConnectErrorEvent,
  ConnectEvent,
  InvalidateEvent,
  PoolEventMap,
  PoolEventName,
  PoolListener,
  ResetEvent,
  TimeoutEvent,
} from './pool/pool-events';
export type { MetricNames, MonitoringOptions, PoolOptions, ResolvedPoolOptions } from './pool/pool-options';
export {
  type ConnectionBudget,
  type ConnectionBudgetOptions,
  checkConnectionBudget,
} from './scale-out/connection-budget';
export {
  type DatabaseMonitor,
  type DatabaseMonitorOptions,
  type DatabaseMonitorSettingsSource,
  databaseMonitorFromSettings,
  monitorDatabase,
} from './scale-out/database-monitor';
export {
  createLeaderElector,
  type DemotionReason,
  type LeaderElector,
  type LeaderElectorOptions,
  type LeaderElectorSettingsSource,
  leaderElectorFromSettings,
} from './scale-out/leader-elector';
export type { Replica } from './scale-out/replica-router';
export type { SecretLike } from './secret';
export { type DatabaseUri, parseDatabaseUri, redactUri } from './uri/database-uri';
export { type PgConnectionConfig, type PgSslOptions, toPgConfig } from './uri/pg-config';
