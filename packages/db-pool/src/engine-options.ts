import { join } from 'node:path';
import type { MonitoringOptions, PoolOptions } from './pool-options';
import type { SecretLike } from './secret';

/** A Postgres engine: the pool's options plus where to connect. */
export interface PostgresEngineOptions extends PoolOptions {
  readonly kind: 'postgres';
  /** A Postgres URI; a secret (`{ reveal() }`) stays unrevealed until a connection is opened. */
  readonly uri: string | SecretLike;
  /** Log each statement's SQL text and duration through the logger (Letta's `pg_echo`). @default false */
  readonly echo?: boolean;
}

/** An embedded SQLite engine. */
export interface SqliteEngineOptions extends MonitoringOptions {
  readonly kind: 'sqlite';
  /** The database file (its directory is created), or `:memory:`. */
  readonly filename: string;
  /** Log each statement's SQL text and duration through the logger. @default false */
  readonly echo?: boolean;
}

export type EngineOptions = PostgresEngineOptions | SqliteEngineOptions;

/**
 * The settings `fromSettings` reads, by the names `@letta/settings` gives them (Letta's units: seconds).
 * Declared here field by field, so any object of this shape works, the real `Settings` included.
 */
export interface EngineSettingsSource {
  readonly databaseEngine: 'postgres' | 'sqlite';
  readonly lettaPgUri: SecretLike;
  /** An absolute directory; SQLite lives at `<lettaDir>/sqlite.db`. */
  readonly lettaDir: string;
  readonly pgPoolSize: number;
  readonly pgMaxOverflow: number;
  readonly pgPoolTimeout: number;
  readonly pgPoolRecycle: number;
  readonly pgEcho: boolean;
  readonly poolPrePing: boolean;
  readonly poolUseLifo: boolean;
  readonly disableSqlalchemyPooling: boolean;
  readonly dbMaxConcurrentSessions: number | null;
  readonly enableDbPoolMonitoring: boolean;
}

/** Whether the argument is a settings object rather than engine options. */
export function isSettingsSource(
  source: EngineSettingsSource | EngineOptions,
): source is EngineSettingsSource {
  return 'databaseEngine' in source;
}

/**
 * Engine options from Letta settings: seconds become milliseconds, a negative recycle turns recycling
 * off, and `disableSqlalchemyPooling` (true by default, as in Letta) selects no-pool mode. Set
 * `LETTA_DISABLE_SQLALCHEMY_POOLING=false` to use the pool.
 */
export function fromSettings(settings: EngineSettingsSource): EngineOptions {
  if (settings.databaseEngine === 'sqlite') {
    return {
      kind: 'sqlite',
      filename: join(settings.lettaDir, 'sqlite.db'),
      echo: settings.pgEcho,
      monitoring: settings.enableDbPoolMonitoring,
    };
  }
  return {
    kind: 'postgres',
    uri: settings.lettaPgUri,
    poolSize: settings.pgPoolSize,
    maxOverflow: settings.pgMaxOverflow,
    poolTimeoutMs: settings.pgPoolTimeout * 1000,
    // Letta passes pg_pool_timeout to the driver as its connect timeout too.
    connectTimeoutMs: settings.pgPoolTimeout * 1000,
    recycleMs: settings.pgPoolRecycle < 0 ? null : settings.pgPoolRecycle * 1000,
    prePing: settings.poolPrePing,
    useLifo: settings.poolUseLifo,
    pooling: !settings.disableSqlalchemyPooling,
    maxConcurrentSessions: settings.dbMaxConcurrentSessions,
    echo: settings.pgEcho,
    monitoring: settings.enableDbPoolMonitoring,
  };
}
