import { lettaPoolDefaults, lettaPoolMinimums } from '@letta/core';
import { duration, flag, invalidOption, type SettingOrigin, wholeNumber } from '../options/option-checks';

/** Which metric names the pool reports under (see the metrics table in the docs). */
export type MetricNames = 'semconv' | 'letta' | 'both';

const METRIC_NAMES: readonly MetricNames[] = ['semconv', 'letta', 'both'];

/**
 * The name of the semconv connection-count gauge: OpenTelemetry's current one, or the one it used until
 * semconv 1.26, whose Prometheus form has no `_count` suffix (which `promtool check metrics` rejects on a
 * gauge).
 */
export type ConnectionCountName = 'db.client.connection.count' | 'db.client.connections.usage';

const CONNECTION_COUNT_NAMES: readonly ConnectionCountName[] = [
  'db.client.connection.count',
  'db.client.connections.usage',
];

/** How the pool is watched. Both engines (Postgres and SQLite) take these. */
export interface MonitoringOptions {
  /**
   * Report pool metrics through `@opentelemetry/api`. When false nothing is attached to the pool.
   * @default true (Letta's `enable_db_pool_monitoring`)
   */
  monitoring?: boolean;
  /**
   * `'semconv'`: OpenTelemetry's `db.client.connection.*`; `'letta'`: the metric names Letta's dashboards
   * and autoscalers use; `'both'`: each series under both names.
   * @default 'semconv'
   */
  metricNames?: MetricNames;
  /**
   * What the semconv set calls its connection-count gauge. Scraped by Prometheus,
   * `db.client.connection.count` becomes `db_client_connection_count`, which promtool flags: a `_count`
   * suffix belongs to histograms. `'db.client.connections.usage'` gives a name it accepts.
   * @default 'db.client.connection.count'
   */
  connectionCountName?: ConnectionCountName;
}

/** The pool's behaviour, named after SQLAlchemy's QueuePool arguments. Durations are in milliseconds. */
export interface PoolOptions extends MonitoringOptions {
  /**
   * Connections kept open while idle. A connection returned while this many are idle is closed.
   * 0 means no limit at all (SQLAlchemy's meaning).
   * @default 25
   */
  poolSize?: number;
  /** Connections allowed beyond `poolSize` under load; -1 means no limit. @default 10 */
  maxOverflow?: number;
  /**
   * How long a checkout waits at capacity before `PoolTimeoutError`. It also bounds the whole checkout:
   * a pre-ping and a connection opened for it share what is left of it, so `connect()` settles within
   * `poolTimeoutMs` even when the server stops answering. @default 30000
   */
  poolTimeoutMs?: number;
  /**
   * How long opening one new connection may take before `ConnectTimeoutError`; also the bound of the
   * rollback a connection returned inside a transaction gets. @default 30000
   */
  connectTimeoutMs?: number;
  /**
   * Sets the server's `statement_timeout` on every connection, and a client-side deadline one second
   * later that gives the connection up (`ConnectionLostError`) when the server does not answer at all.
   * null: neither. @default null
   */
  statementTimeoutMs?: number | null;
  /** A connection older than this is replaced at its next checkout; null never recycles. @default 1800000 */
  recycleMs?: number | null;
  /**
   * Shortens each connection's recycle age by a random fraction up to this value (0.025 = up to 2.5%),
   * so connections opened together are not all replaced together. @default 0
   */
  recycleJitter?: number;
  /** Check a reused connection with `SELECT 1` before handing it out. @default true */
  prePing?: boolean;
  /**
   * Skip the pre-ping for a connection returned less than this long ago: it just worked, and a backend
   * that died since has almost always reported it through the connection's error listener already.
   * 0 pings on every reuse, as SQLAlchemy does. @default 500
   */
  prePingBypassMs?: number;
  /** Reuse the most recently returned connection first; false reuses in FIFO (round-robin) order. @default true */
  useLifo?: boolean;
  /** false: no-pool mode (SQLAlchemy's NullPool), one new connection per checkout. @default true */
  pooling?: boolean;
  /**
   * At most this many connections checked out at once, across the engine; callers beyond it wait like
   * any checkout at capacity. null: no limit of its own. @default null
   */
  maxConcurrentSessions?: number | null;
  /**
   * false: a query that names a prepared statement (`{ name, text, values }`) is sent unnamed instead, for
   * PgBouncer in transaction mode, where a named statement prepared on one server connection is missing
   * (or already exists) on the next. Kysely never names statements, so this only affects queries sent
   * through `pool.connect()`. @default true (false from settings when LETTA_PG_DIRECT_URI is set)
   */
  namedPreparedStatements?: boolean;
}

/** Pool options with every default applied and every value checked. */
export interface ResolvedPoolOptions {
  readonly poolSize: number;
  readonly maxOverflow: number;
  readonly poolTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly statementTimeoutMs: number | null;
  readonly recycleMs: number | null;
  readonly recycleJitter: number;
  readonly prePing: boolean;
  readonly prePingBypassMs: number;
  readonly useLifo: boolean;
  readonly pooling: boolean;
  readonly maxConcurrentSessions: number | null;
  readonly monitoring: boolean;
  readonly metricNames: MetricNames;
  readonly connectionCountName: ConnectionCountName;
  readonly namedPreparedStatements: boolean;
}

const SECOND_MS = 1000;

/** Letta's pool defaults in milliseconds; an options object that leaves `pooling` unset gets a pool. */
const DEFAULTS: ResolvedPoolOptions = {
  poolSize: lettaPoolDefaults.poolSize,
  maxOverflow: lettaPoolDefaults.maxOverflow,
  poolTimeoutMs: lettaPoolDefaults.poolTimeoutSeconds * SECOND_MS,
  // Letta passes pg_pool_timeout to the driver as its connect timeout too.
  connectTimeoutMs: lettaPoolDefaults.poolTimeoutSeconds * SECOND_MS,
  statementTimeoutMs: null,
  recycleMs: lettaPoolDefaults.recycleSeconds * SECOND_MS,
  recycleJitter: 0,
  prePing: lettaPoolDefaults.prePing,
  prePingBypassMs: 500,
  useLifo: lettaPoolDefaults.useLifo,
  pooling: true,
  maxConcurrentSessions: null,
  monitoring: true,
  metricNames: 'semconv',
  connectionCountName: 'db.client.connection.count',
  namedPreparedStatements: true,
};

/**
 * The Letta variable each option comes from in `engineOptionsFromSettings`, named in errors so the fix
 * is obvious.
 */
const SETTING: Partial<Record<keyof ResolvedPoolOptions, SettingOrigin>> = {
  poolSize: { envVar: 'LETTA_PG_POOL_SIZE' },
  maxOverflow: { envVar: 'LETTA_PG_MAX_OVERFLOW' },
  poolTimeoutMs: { envVar: 'LETTA_PG_POOL_TIMEOUT', unit: 'in seconds' },
  connectTimeoutMs: { envVar: 'LETTA_PG_POOL_TIMEOUT', unit: 'in seconds' },
  recycleMs: { envVar: 'LETTA_PG_POOL_RECYCLE', unit: 'in seconds' },
  prePing: { envVar: 'LETTA_POOL_PRE_PING' },
  useLifo: { envVar: 'LETTA_POOL_USE_LIFO' },
  pooling: { envVar: 'LETTA_DISABLE_SQLALCHEMY_POOLING' },
  maxConcurrentSessions: { envVar: 'LETTA_DB_MAX_CONCURRENT_SESSIONS' },
  monitoring: { envVar: 'LETTA_ENABLE_DB_POOL_MONITORING' },
};

function invalid(option: keyof ResolvedPoolOptions, expected: string, found: unknown) {
  return invalidOption(option, expected, found, SETTING[option]);
}

/** Applies the defaults and checks every value once, so nothing on the checkout path re-checks. */
export function resolvePoolOptions(options: PoolOptions): ResolvedPoolOptions {
  const o = { ...DEFAULTS, ...withoutUndefined(options) };
  if (!METRIC_NAMES.includes(o.metricNames)) {
    throw invalid('metricNames', `one of ${METRIC_NAMES.map((n) => `'${n}'`).join(', ')}`, o.metricNames);
  }
  if (!CONNECTION_COUNT_NAMES.includes(o.connectionCountName)) {
    throw invalid(
      'connectionCountName',
      `one of ${CONNECTION_COUNT_NAMES.map((n) => `'${n}'`).join(', ')}`,
      o.connectionCountName,
    );
  }
  const jitter = o.recycleJitter;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter < 1)) {
    throw invalid('recycleJitter', 'a fraction from 0 up to (not including) 1, e.g. 0.025', jitter);
  }
  return {
    poolSize: wholeNumber(
      'poolSize',
      o.poolSize,
      lettaPoolMinimums.poolSize,
      'a whole number of 0 or more (0 means no limit)',
      SETTING.poolSize,
    ),
    maxOverflow: wholeNumber(
      'maxOverflow',
      o.maxOverflow,
      lettaPoolMinimums.maxOverflow,
      'a whole number of -1 or more (-1 means no limit)',
      SETTING.maxOverflow,
    ),
    poolTimeoutMs: duration('poolTimeoutMs', o.poolTimeoutMs, SETTING.poolTimeoutMs),
    connectTimeoutMs: duration('connectTimeoutMs', o.connectTimeoutMs, SETTING.connectTimeoutMs),
    statementTimeoutMs:
      o.statementTimeoutMs === null
        ? null
        : wholeNumber(
            'statementTimeoutMs',
            o.statementTimeoutMs,
            1,
            'a whole number of milliseconds, 1 or more, or null',
          ),
    recycleMs: o.recycleMs === null ? null : duration('recycleMs', o.recycleMs, SETTING.recycleMs),
    recycleJitter: jitter,
    prePing: flag('prePing', o.prePing, SETTING.prePing),
    prePingBypassMs: wholeNumber(
      'prePingBypassMs',
      o.prePingBypassMs,
      0,
      'a whole number of milliseconds, 0 or more',
    ),
    useLifo: flag('useLifo', o.useLifo, SETTING.useLifo),
    pooling: flag('pooling', o.pooling, SETTING.pooling),
    maxConcurrentSessions:
      o.maxConcurrentSessions === null
        ? null
        : wholeNumber(
            'maxConcurrentSessions',
            o.maxConcurrentSessions,
            lettaPoolMinimums.maxConcurrentSessions,
            'a whole number of 1 or more, or null',
            SETTING.maxConcurrentSessions,
          ),
    monitoring: flag('monitoring', o.monitoring, SETTING.monitoring),
    namedPreparedStatements: flag('namedPreparedStatements', o.namedPreparedStatements),
    metricNames: o.metricNames,
    connectionCountName: o.connectionCountName,
  };
}

function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
