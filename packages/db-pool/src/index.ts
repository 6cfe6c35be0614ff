export {
  type DatabaseUri,
  DatabaseUriError,
  type LogFn,
  type Logger,
  parseDatabaseUri,
  redactUri,
  type SecretLike,
} from '@letta/core';
export { createEngine, type Engine, type EngineInstrumentation } from './engine/create-engine';
export {
  type EngineOptions,
  type EngineSettingsInput,
  engineOptionsFromSettings,
  type PostgresEngineOptions,
  type SqliteEngineOptions,
} from './engine/engine-options';
export type { DatabaseTracingOptions } from './engine/tracing-dialect';
export type { TransactionOptions } from './engine/transaction';
export { EngineOptionsError } from './options/engine-options-error';
export { type CreatePoolOptions, createPool, type InstrumentationOptions } from './pool/create-pool';
export type { ConnectionPool, Pool, PoolClient, PoolMode, PoolStats, QueryConfig } from './pool/pool';
export {
  ConnectionLostError,
  ConnectTimeoutError,
  DatabaseConnectError,
  DatabaseUnavailableError,
  type FailureSite,
  PoolClosedError,
  PoolTimeoutError,
  StatementTimeoutError,
} from './pool/pool-errors';
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
export type {
  ConnectionCountName,
  MetricNames,
  MonitoringOptions,
  PoolOptions,
  ResolvedPoolOptions,
} from './pool/pool-options';
export {
  type ConnectionBudget,
  type ConnectionBudgetOptions,
  checkConnectionBudget,
} from './scale-out/connection-budget';
export {
  type DatabaseMonitor,
  type DatabaseMonitorOptions,
  type DatabaseMonitorSettingsInput,
  databaseMonitorOptionsFromSettings,
  monitorDatabase,
} from './scale-out/database-monitor';
export type { DemotionReason, LeaderElector } from './scale-out/leader-election';
export {
  createLeaderElector,
  type LeaderElectorOptions,
  type LeaderElectorSettingsInput,
  type LeaderElectorTarget,
  leaderElectorOptionsFromSettings,
} from './scale-out/leader-elector';
export type { Replica } from './scale-out/replica-router';
export { type PgConnectionConfig, type PgSslOptions, toPgConfig } from './uri/pg-config';
