import { performance } from 'node:perf_hooks';
import {
  Kysely,
  type LogConfig as KyselyLog,
  type LogEvent,
  PostgresDialect,
  sql,
  type Transaction,
} from 'kysely';
import { errorType } from './connection-failure';
import { createPool, type InstrumentationOptions } from './create-pool';
import {
  type EngineOptions,
  type EngineSettingsSource,
  fromSettings,
  isSettingsSource,
  type PostgresEngineOptions,
  type SqliteEngineOptions,
} from './engine-options';
import { type Logger, silentLogger } from './logger';
import type { Pool } from './pool';
import { monitorPool } from './pool-metrics';
import { resolvePoolOptions } from './pool-options';
import { openSqliteDatabase } from './sqlite-database';
import { SqlitePool } from './sqlite-pool';
import { runTransaction, type TransactionOptions } from './transaction';

/** A database handle: Kysely over the pool, plus health, shutdown and transactions. */
export interface Engine<DB> {
  readonly db: Kysely<DB>;
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

interface OpenedDatabase<DB> {
  readonly db: Kysely<DB>;
  readonly pool: Pool;
  end(): Promise<void>;
}

function openPostgres<DB>(
  options: PostgresEngineOptions,
  instrumentation: InstrumentationOptions & { logger: Logger },
  log: KyselyLog | undefined,
): OpenedDatabase<DB> {
  const { kind: _kind, echo: _echo, ...poolOptions } = options;
  const pool = createPool(poolOptions, instrumentation);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), ...(log && { log }) });
  return { db, pool, end: () => pool.end() };
}

async function openSqlite<DB>(
  options: SqliteEngineOptions,
  instrumentation: InstrumentationOptions & { logger: Logger },
  log: KyselyLog | undefined,
): Promise<OpenedDatabase<DB>> {
  const { monitoring, metricNames } = resolvePoolOptions({
    monitoring: options.monitoring,
    metricNames: options.metricNames,
  });
  const start = performance.now();
  const database = await openSqliteDatabase(options.filename);
  const openMs = performance.now() - start;
  const pool = new SqlitePool(database, instrumentation.name ?? options.filename, instrumentation.logger);
  if (monitoring) {
    pool.onEnd(monitorPool(pool, { meterProvider: instrumentation.meterProvider, metricNames }));
  }
  pool.opened(openMs);
  const db = new Kysely<DB>({ dialect: pool.dialect(), ...(log && { log }) });
  return { db, pool, end: () => pool.end() };
}

/**
 * Creates the engine from Letta settings (`fromSettings` is applied) or from engine options. Postgres
 * uses the QueuePool-semantics pool (or no-pool mode, Letta's default); SQLite opens the embedded
 * database now, so a missing better-sqlite3 is reported here rather than at the first query.
 */
export async function createEngine<DB>(
  source: EngineSettingsSource | EngineOptions,
  instrumentation: InstrumentationOptions = {},
): Promise<Engine<DB>> {
  const options = isSettingsSource(source) ? fromSettings(source) : source;
  const logger = instrumentation.logger ?? silentLogger;
  const log = options.echo ? echoTo(logger) : undefined;
  const opened =
    options.kind === 'sqlite'
      ? await openSqlite<DB>(options, { ...instrumentation, logger }, log)
      : openPostgres<DB>(options, { ...instrumentation, logger }, log);
  const { db, pool } = opened;

  let closing: Promise<void> | undefined;
  return {
    db,
    kind: options.kind,
    pool,
    async ping() {
      await sql`select 1`.execute(db);
    },
    close() {
      closing ??= db.destroy().then(opened.end);
      return closing;
    },
    transaction(fn, transactionOptions = {}) {
      return runTransaction(db, fn, transactionOptions, logger);
    },
  };
}
