export {
  type ConnectionBudget,
  type ConnectionBudgetOptions,
  checkConnectionBudget,
} from './connection-budget';
export { createEngine, type Engine } from './create-engine';
export { type CreatePoolOptions, createPool, type InstrumentationOptions } from './create-pool';
export {
  type DatabaseMonitor,
  type DatabaseMonitorOptions,
  type DatabaseMonitorSettingsSource,
  databaseMonitorFromSettings,
  monitorDatabase,
} from './database-monitor';
export { type DatabaseUri, parseDatabaseUri, redactUri } from './database-uri';
export {
  type EngineOptions,
  type EngineSettingsSource,
  fromSettings,
  type PostgresEngineOptions,
  type SqliteEngineOptions,
} from './engine-options';
export {
  ConnectionLostError,
  ConnectTimeoutError,
  DatabaseUnavailableError,
  DatabaseUriError,
  InvalidOptionError,
  PoolClosedError,
  PoolTimeoutError,
} from './errors';
export {
  createLeaderElector,
  type DemotionReason,
  type LeaderElector,
  type LeaderElectorOptions,
  type LeaderElectorSettingsSource,
  leaderElectorFromSettings,
} from './leader-elector';
export type { LogFn, Logger } from './logger';
export { type PgConnectionConfig, type PgSslOptions, toPgConfig } from './pg-config';
export type { ConnectionPool, Pool, PoolClient, PoolMode, PoolStats, QueryConfig } from './pool';
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
} from './pool-events';
export type { MetricNames, MonitoringOptions, PoolOptions, ResolvedPoolOptions } from './pool-options';
export type { Replica } from './replica-router';
export type { SecretLike } from './secret';
export type { TransactionOptions } from './transaction';
