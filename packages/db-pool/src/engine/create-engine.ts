import { performance } from 'node:perf_hooks';
import { type Logger, parseDatabaseUri, silentLogger } from '@letta/core';
import type { Kysely, LogConfig as KyselyLog, LogEvent, PostgresPool, Transaction } from 'kysely';
import { duration } from '../options/option-checks';
import { errorType } from '../pool/connection-failure';
import { type InstrumentationOptions, openPool } from '../pool/create-pool';
import type { Pool } from '../pool/pool';
import { monitorPool } from '../pool/pool-metrics';
import { resolvePoolOptions } from '../pool/pool-options';
import { SqlitePool } from '../pool/sqlite-pool';
import { type Replica, ReplicaRouter } from '../scale-out/replica-router';
import { sessionTarget } from '../scale-out/session-connection';
import { describeTarget } from '../uri/describe-target';
import { toPgConfig } from '../uri/pg-config';
import { type PostgresInternals, registerEngine } from './engine-internals';
import type { EngineOptions, PostgresEngineOptions, SqliteEngineOptions } from './engine-options';
import { type KyselyModule, loadKysely } from './kysely-module';
import { openSqliteDatabase } from './sqlite-database';
import { type DatabaseTracingOptions, type TracedDatabase, tracingDialect } from './tracing-dialect';
import { runTransaction, type TransactionOptions } from './transaction';

/** A database handle: Kysely over the pool, plus health, shutdown and transactions. */
export interface Engine<DB> {
  readonly db: Kysely<DB>;
  /**
   * Kysely over the read replicas, in turn, skipping unhealthy ones and falling back to the primary when
   * none is healthy. Without replicas (and on SQLite) it is `db` itself. Replicas lag behind the
   * primary: read through `db` what the same request has just written.
   */
  readonly reader: Kysely<DB>;
  /** The read replicas in the configured order, with their pools and health; empty without replicas. */
  readonly replicas: readonly Replica[];
  readonly kind: 'postgres' | 'sqlite';
  /** The pool's state, status line and events; the same shape on both kinds. */
  readonly pool: Pool;
  /** Runs `SELECT 1` through the pool; rejects when the database cannot answer. */
  ping(): Promise<void>;
  /** Drains the pool and closes every connection. Safe to call more than once. */
  close(): Promise<void>;
  /**
   * Runs `fn` in a transaction: commits when it resolves, rolls back when it throws or `signal` aborts.
   * A connection failure before the body starts is retried; the body itself runs at most once.
   */
  transaction<T>(fn: (trx: Transaction<DB>) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

/** Kysely's log hook for `echo`: the SQL text and its duration, never the parameters. */
function echoTo(logger: Logger): (event: LogEvent) => void {
  return (event) => {
    const fields = { sql: event.query.sql, durationMs: Math.round(event.queryDurationMillis * 1000) / 1000 };
    if (event.level === 'query') logger.info(fields, 'sql');
    else logger.warn({ ...fields, errorType: errorType(event.error) }, 'sql failed');
  };
}

/** What `createEngine` reports through: metrics, logs, its name, and statement spans. */
export interface EngineInstrumentation extends InstrumentationOptions, DatabaseTracingOptions {}

type ResolvedInstrumentation = EngineInstrumentation & { logger: Logger };

interface OpenedDatabase<DB> {
  readonly db: Kysely<DB>;
  readonly reader: Kysely<DB>;
  readonly replicas: readonly Replica[];
  readonly pool: Pool;
  readonly postgres: PostgresInternals | undefined;
  end(): Promise<void>;
}

const DEFAULT_REPLICA_RETRY_MS = 10_000;

/**
 * Opens the primary pool, one pool per replica, and the targets for dedicated connections. Every URI
 * and option is checked, once, before any pool exists, so a bad one leaves nothing attached to the
 * meter provider.
 */
function openPostgres<DB>(
  { Kysely, PostgresDialect }: KyselyModule,
  options: PostgresEngineOptions,
  instrumentation: ResolvedInstrumentation,
  log: KyselyLog | undefined,
): OpenedDatabase<DB> {
  const {
    kind: _kind,
    echo: _echo,
    replicaUris = [],
    replicaRetryMs = DEFAULT_REPLICA_RETRY_MS,
    directUri = null,
    ...poolOptions
  } = options;
  const retryMs = duration('replicaRetryMs', replicaRetryMs);
  const engineName = instrumentation.name;
  const parsedReplicaUris = replicaUris.map((uri) => parseDatabaseUri(uri));
  const resolved = resolvePoolOptions(poolOptions);
  const { connectTimeoutMs } = resolved;
  const main = sessionTarget(parseDatabaseUri(options.uri), connectTimeoutMs, 'uri');
  const session =
    directUri === null ? main : sessionTarget(parseDatabaseUri(directUri), connectTimeoutMs, 'directUri');
  const replicas = parsedReplicaUris.map((uri, index) => {
    const target = describeTarget(uri);
    const name = engineName === undefined ? target : `${engineName}-replica-${index + 1}`;
    return { config: toPgConfig(uri), target, name };
  });

  const pool = openPool(main, resolved, instrumentation);
  const primaryUri = parseDatabaseUri(options.uri);
  const kysely = (postgresPool: PostgresPool, database: TracedDatabase) =>
    new Kysely<DB>({
      dialect: tracingDialect(new PostgresDialect({ pool: postgresPool }), database, instrumentation),
      ...(log && { log }),
    });
  const db = kysely(pool, {
    system: 'postgresql',
    namespace: primaryUri.database,
    host: primaryUri.host,
    port: primaryUri.port ?? 5432,
  });

  const replicaPools = replicas.map(({ name, ...target }) =>
    openPool(target, resolved, { ...instrumentation, name }),
  );
  const router =
    replicaPools.length > 0
      ? new ReplicaRouter(replicaPools, pool, retryMs, instrumentation.logger)
      : undefined;
  return {
    db,
    // A replica is chosen per checkout, so reader spans name the database but no server.
    reader: router ? kysely(router, { system: 'postgresql', namespace: primaryUri.database }) : db,
    replicas: router?.members ?? [],
    pool,
    postgres: { primary: pool, main, session, replicas: router },
    async end() {
      await Promise.all([pool.end(), router?.end()]);
    },
  };
}

async function openSqlite<DB>(
  kysely: KyselyModule,
  options: SqliteEngineOptions,
  instrumentation: ResolvedInstrumentation,
  log: KyselyLog | undefined,
): Promise<OpenedDatabase<DB>> {
  const { monitoring, metricNames, connectionCountName } = resolvePoolOptions({
    monitoring: options.monitoring,
    metricNames: options.metricNames,
    connectionCountName: options.connectionCountName,
  });
  const start = performance.now();
  const database = await openSqliteDatabase(options.filename);
  const openMs = performance.now() - start;
  const pool = new SqlitePool(database, instrumentation.name ?? options.filename, instrumentation.logger);
  if (monitoring) {
    const { meterProvider } = instrumentation;
    pool.onEnd(monitorPool(pool, { meterProvider, metricNames, connectionCountName }));
  }
  pool.opened(openMs);
  const dialect = tracingDialect(
    pool.dialect(kysely),
    { system: 'sqlite', namespace: options.filename },
    instrumentation,
  );
  const db = new kysely.Kysely<DB>({ dialect, ...(log && { log }) });
  return { db, reader: db, replicas: [], pool, postgres: undefined, end: () => pool.end() };
}

/**
 * Creates the engine from its options; `engineOptionsFromSettings(settings)` gives them from Letta's
 * settings. Postgres uses the QueuePool-semantics pool (or no-pool mode, Letta's default from settings);
 * SQLite opens the embedded database now, so a missing better-sqlite3 is reported here rather than at
 * the first query.
 *
 * ```ts
 * const engine = await createEngine(engineOptionsFromSettings(loadSettings()), { logger });
 * ```
 */
export async function createEngine<DB>(
  options: EngineOptions,
  instrumentation: EngineInstrumentation = {},
): Promise<Engine<DB>> {
  const logger = instrumentation.logger ?? silentLogger;
  const log = options.echo ? echoTo(logger) : undefined;
  const kysely = await loadKysely();
  const opened =
    options.kind === 'sqlite'
      ? await openSqlite<DB>(kysely, options, { ...instrumentation, logger }, log)
      : openPostgres<DB>(kysely, options, { ...instrumentation, logger }, log);
  const { sql } = kysely;
  const { db, reader, replicas, pool } = opened;

  let closing: Promise<void> | undefined;
  const engine: Engine<DB> = {
    db,
    reader,
    replicas,
    kind: options.kind,
    pool,
    async ping() {
      await sql`select 1`.execute(db);
    },
    close() {
      closing ??= Promise.all([db.destroy(), reader !== db && reader.destroy()]).then(opened.end);
      return closing;
    },
    transaction(fn, transactionOptions = {}) {
      return runTransaction(db, fn, transactionOptions, { logger, poolName: pool.name });
    },
  };
  registerEngine(engine, { logger, postgres: opened.postgres });
  return engine;
}
