import { join } from 'node:path';
import type { SecretLike } from '@letta/core';
import type { MonitoringOptions, PoolOptions } from '../pool/pool-options';

/** A Postgres engine: the pool's options plus where to connect. */
export interface PostgresEngineOptions extends PoolOptions {
  readonly kind: 'postgres';
  /** A Postgres URI; a secret (`{ reveal() }`) stays unrevealed until a connection is opened. */
  readonly uri: string | SecretLike;
  /** Log each statement's SQL text and duration through the logger (Letta's `pg_echo`). @default false */
  readonly echo?: boolean;
  /**
   * Read replicas (LETTA_PG_REPLICA_URIS): `engine.reader` spreads reads over them in turn, each through
   * a pool with the options above. @default []
   */
  readonly replicaUris?: readonly (string | SecretLike)[];
  /** How long a replica that failed stays out of rotation before it is pinged again. @default 10000 */
  readonly replicaRetryMs?: number;
  /**
   * A URI that reaches PostgreSQL directly, bypassing PgBouncer (LETTA_PG_DIRECT_URI), for work that needs
   * a session of its own, such as the leader elector's advisory lock. null: such work uses `uri`.
   * @default null
   */
  readonly directUri?: string | SecretLike | null;
}

/** An embedded SQLite engine. */
export interface SqliteEngineOptions extends MonitoringOptions {
  readonly kind: 'sqlite';
  /** The database file (its directory is created), or `:memory:`. */
  readonly filename: string;
  /** Log each statement's SQL text and duration through the logger. @default false */
  readonly echo?: boolean;
}

/** What `createEngine` takes: `kind` says which database. */
export type EngineOptions = PostgresEngineOptions | SqliteEngineOptions;

const SECOND_MS = 1000;

/**
 * The settings `engineOptionsFromSettings` reads, by the names `@letta/settings` gives them (Letta's
 * units: seconds). Declared here field by field, so any object of this shape works, the real `Settings`
 * included.
 */
export interface EngineSettingsInput {
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
  /** Read replicas; absent means none. */
  readonly pgReplicaUris?: readonly SecretLike[];
  /** A URI that bypasses PgBouncer; absent means none. */
  readonly pgDirectUri?: SecretLike | null;
}

/**
 * Engine options from Letta settings: seconds become milliseconds, a recycle of 0 or less turns
 * recycling off, and `disableSqlalchemyPooling` (true by default, as in Letta) selects no-pool mode. Set
 * `LETTA_DISABLE_SQLALCHEMY_POOLING=false` to use the pool. A direct URI (LETTA_PG_DIRECT_URI) means
 * `LETTA_PG_URI` goes through PgBouncer, so named prepared statements are turned off.
 */
export function engineOptionsFromSettings(settings: EngineSettingsInput): EngineOptions {
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
    poolTimeoutMs: settings.pgPoolTimeout * SECOND_MS,
    // Letta passes pg_pool_timeout to the driver as its connect timeout too.
    connectTimeoutMs: settings.pgPoolTimeout * SECOND_MS,
    recycleMs: settings.pgPoolRecycle <= 0 ? null : settings.pgPoolRecycle * SECOND_MS,
    prePing: settings.poolPrePing,
    useLifo: settings.poolUseLifo,
    pooling: !settings.disableSqlalchemyPooling,
    maxConcurrentSessions: settings.dbMaxConcurrentSessions,
    echo: settings.pgEcho,
    monitoring: settings.enableDbPoolMonitoring,
    replicaUris: settings.pgReplicaUris ?? [],
    directUri: settings.pgDirectUri ?? null,
    namedPreparedStatements: (settings.pgDirectUri ?? null) === null,
  };
}
