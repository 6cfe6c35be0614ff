import type { Logger } from '@letta/core';
import type {
  Attributes,
  BatchObservableResult,
  MeterProvider,
  Observable,
  ObservableGauge,
} from '@opentelemetry/api';
import type { Engine } from '../engine/create-engine';
import { internalsOf, type PostgresInternals } from '../engine/engine-internals';
import { duration, invalidOption } from '../options/option-checks';
import { errorType } from '../pool/connection-failure';
import { packageMeter } from '../pool/meter';
import { type DatabaseStats, readDatabaseStats, readReplicaLag } from './database-stats';

/** What `monitorDatabase` takes; `databaseMonitorOptionsFromSettings` gives `intervalMs` from settings. */
export interface DatabaseMonitorOptions {
  /**
   * How often the catalog queries run; the gauges report the latest result whenever they are collected.
   * @default 30000 (Letta's db_pool_monitoring_interval; see `databaseMonitorOptionsFromSettings`)
   */
  intervalMs?: number;
  /**
   * Tables whose dead-tuple ratio is reported, as `table` (any schema) or `schema.table`; tables that do
   * not exist are skipped. @default ['messages', 'steps', 'runs'] (Letta's busiest tables)
   */
  tables?: readonly string[];
  /** Where the gauges go; defaults to the global provider at the time of the call. */
  meterProvider?: MeterProvider;
  /** Defaults to the engine's logger. */
  logger?: Logger;
}

/** A running database monitor. */
export interface DatabaseMonitor {
  /** Runs the queries now (or joins the round in flight); rejects when the primary's queries fail. */
  refresh(): Promise<void>;
  /** Stops the queries and detaches the gauges; waits for a round in flight. Safe to call twice. */
  close(): Promise<void>;
}

/** The settings `databaseMonitorOptionsFromSettings` reads, by the names `@letta/settings` gives them. */
export interface DatabaseMonitorSettingsInput {
  readonly dbPoolMonitoringInterval: number;
}

/** `intervalMs` from LETTA_DB_POOL_MONITORING_INTERVAL (seconds), a setting Letta declares but never reads. */
export function databaseMonitorOptionsFromSettings(
  settings: DatabaseMonitorSettingsInput,
): DatabaseMonitorOptions & { intervalMs: number } {
  return { intervalMs: settings.dbPoolMonitoringInterval * 1000 };
}

/** Every gauge: its name, unit and description. */
const GAUGES = {
  up: ['letta.db.up', '1', '1 when the latest round of health queries on the primary succeeded, else 0.'],
  cacheHitRatio: ['letta.db.cache.hit_ratio', '1', 'Blocks found in shared buffers, over the last interval.'],
  connections: ['letta.db.connections', '{connection}', 'Client connections to the server, by state.'],
  maxConnections: ['letta.db.connections.max', '{connection}', 'The server setting max_connections.'],
  connectionUsage: ['letta.db.connections.usage', '1', 'Client connections over max_connections.'],
  longestTransaction: ['letta.db.transaction.max_duration', 's', 'Age of the oldest open transaction.'],
  lockWaiting: ['letta.db.lock.waiting', '{backend}', 'Backends waiting for a lock.'],
  longestLockWait: ['letta.db.lock.max_wait', 's', 'Duration of the longest current lock wait.'],
  deadTupleRatio: ['letta.db.table.dead_tuple_ratio', '1', 'Dead tuples over all tuples of a table.'],
  replicaLag: [
    'letta.db.replication.lag',
    's',
    'How far behind the primary a replica has replayed, in time.',
  ],
  replicaHealthy: ['letta.db.replica.healthy', '1', '1 while a replica is in the read rotation, else 0.'],
} as const;

const DEFAULT_INTERVAL_MS = 30_000;
const DEFAULT_TABLES: readonly string[] = ['messages', 'steps', 'runs'];

/** What the gauges report: the latest round, with its attribute sets built once per round. */
interface Snapshot {
  readonly stats: DatabaseStats;
  readonly database: Attributes;
  readonly cacheHitRatio: number;
  readonly connections: readonly [Attributes, number][];
  readonly tables: readonly [Attributes, number][];
}

const NOTHING_TO_MONITOR: DatabaseMonitor = { refresh: async () => {}, close: async () => {} };

/**
 * Reports the database's health as OpenTelemetry gauges, from read-only catalog queries run every
 * `intervalMs` on one connection of the engine's pool: cache hit ratio, connections by state against
 * `max_connections`, the longest open transaction, lock waits, deadlocks, dead tuples per table, and the
 * replication lag and health of each replica. On SQLite there is nothing to report and it does nothing.
 */
export function monitorDatabase<DB>(
  engine: Engine<DB>,
  options: DatabaseMonitorOptions = {},
): DatabaseMonitor {
  const internals = internalsOf(engine, 'monitorDatabase');
  const intervalMs = duration('intervalMs', options.intervalMs ?? DEFAULT_INTERVAL_MS);
  const tables = options.tables ?? DEFAULT_TABLES;
  if (!Array.isArray(tables) || !tables.every((table) => typeof table === 'string' && table !== '')) {
    throw invalidOption('tables', 'an array of table names (`table` or `schema.table`)', tables);
  }
  if (internals.postgres === undefined) return NOTHING_TO_MONITOR;
  return new PostgresMonitor(
    internals.postgres,
    tables,
    intervalMs,
    options,
    options.logger ?? internals.logger,
  );
}

class PostgresMonitor implements DatabaseMonitor {
  readonly #postgres: PostgresInternals;
  readonly #tables: readonly string[];
  readonly #logger: Logger;
  readonly #timer: NodeJS.Timeout;
  readonly #detach: () => void;
  #snapshot: Snapshot | undefined;
  /** Whether the latest round of queries on the primary succeeded; undefined before the first. */
  #up: boolean | undefined;
  readonly #replicaLag = new Map<string, number>();
  #round: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(
    postgres: PostgresInternals,
    tables: readonly string[],
    intervalMs: number,
    options: DatabaseMonitorOptions,
    logger: Logger,
  ) {
    this.#postgres = postgres;
    this.#tables = tables;
    this.#logger = logger;
    this.#detach = this.#attachGauges(options.meterProvider);
    this.#timer = setInterval(() => void this.refresh().catch(() => {}), intervalMs);
    this.#timer.unref();
    void this.refresh().catch(() => {});
  }

  refresh(): Promise<void> {
    if (this.#closing) return Promise.resolve();
    this.#round ??= this.#poll().finally(() => {
      this.#round = undefined;
    });
    return this.#round;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#timer);
      await this.#round?.catch(() => {});
      this.#detach();
    })();
    return this.#closing;
  }

  async #poll(): Promise<void> {
    const [primary] = await Promise.allSettled([
      readDatabaseStats(this.#postgres.primary, this.#tables),
      this.#pollReplicas(),
    ]);
    this.#up = primary.status === 'fulfilled';
    if (primary.status === 'rejected') {
      this.#snapshot = undefined;
      this.#logger.warn({ errorType: errorType(primary.reason) }, 'database health queries failed');
      throw primary.reason;
    }
    this.#snapshot = this.#snapshotOf(primary.value);
  }

  async #pollReplicas(): Promise<void> {
    const members = this.#postgres.replicas?.members ?? [];
    await Promise.all(
      members.map(async (member) => {
        let lag: number | null = null;
        if (member.healthy) {
          lag = await readReplicaLag(member.pool).catch((error: unknown) => {
            this.#logger.warn(
              { replica: member.name, errorType: errorType(error) },
              'replica lag query failed',
            );
            return null;
          });
        }
        if (lag === null) this.#replicaLag.delete(member.name);
        else this.#replicaLag.set(member.name, lag);
      }),
    );
  }

  /**
   * The cache hit ratio covers the blocks read since the previous round (since the statistics were
   * reset, on the first round or after a reset), and is 1 when no block was read at all.
   */
  #snapshotOf(stats: DatabaseStats): Snapshot {
    const previous = this.#snapshot?.stats;
    const since =
      previous && stats.blocksHit >= previous.blocksHit && stats.blocksRead >= previous.blocksRead
        ? previous
        : { blocksHit: 0, blocksRead: 0 };
    const hit = stats.blocksHit - since.blocksHit;
    const read = stats.blocksRead - since.blocksRead;
    const database = { 'db.namespace': stats.database };
    return {
      stats,
      database,
      cacheHitRatio: hit + read > 0 ? hit / (hit + read) : 1,
      connections: [...stats.connections].map(([state, count]) => [
        { 'letta.db.connection.state': state },
        count,
      ]),
      tables: [...stats.deadTupleRatio].map(([table, ratio]) => [
        { ...database, 'db.collection.name': table },
        ratio,
      ]),
    };
  }

  #attachGauges(meterProvider: MeterProvider | undefined): () => void {
    const meter = packageMeter(meterProvider);
    const gauge = Object.fromEntries(
      Object.entries(GAUGES).map(([key, [name, unit, description]]) => [
        key,
        meter.createObservableGauge(name, { unit, description }),
      ]),
    ) as Record<keyof typeof GAUGES, ObservableGauge>;
    const deadlocks = meter.createObservableCounter('letta.db.deadlocks', {
      unit: '{deadlock}',
      description: 'Deadlocks detected in this database since its statistics were reset.',
    });
    const observables: Observable[] = [...Object.values(gauge), deadlocks];
    const callback = (result: BatchObservableResult) => {
      if (this.#up !== undefined) result.observe(gauge.up, this.#up ? 1 : 0);
      for (const member of this.#postgres.replicas?.members ?? []) {
        const replica = { 'letta.db.replica': member.name };
        result.observe(gauge.replicaHealthy, member.healthy ? 1 : 0, replica);
        const lag = this.#replicaLag.get(member.name);
        if (lag !== undefined) result.observe(gauge.replicaLag, lag, replica);
      }
      const snapshot = this.#snapshot;
      if (snapshot === undefined) return;
      const { stats, database } = snapshot;
      let total = 0;
      for (const [attributes, count] of snapshot.connections) {
        result.observe(gauge.connections, count, attributes);
        total += count;
      }
      result.observe(gauge.maxConnections, stats.maxConnections);
      result.observe(gauge.connectionUsage, total / stats.maxConnections);
      result.observe(gauge.cacheHitRatio, snapshot.cacheHitRatio, database);
      result.observe(gauge.longestTransaction, stats.longestTransaction, database);
      result.observe(gauge.lockWaiting, stats.lockWaiting, database);
      result.observe(gauge.longestLockWait, stats.longestLockWait, database);
      result.observe(deadlocks, stats.deadlocks, database);
      for (const [attributes, ratio] of snapshot.tables)
        result.observe(gauge.deadTupleRatio, ratio, attributes);
    };
    meter.addBatchObservableCallback(callback, observables);
    return () => meter.removeBatchObservableCallback(callback, observables);
  }
}
