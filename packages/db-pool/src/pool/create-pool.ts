import type { SecretLike } from '@letta/core';
import { type Logger, parseDatabaseUri, silentLogger } from '@letta/core';
import type { MeterProvider } from '@opentelemetry/api';
import { describeTarget } from '../uri/describe-target';
import { type PgConnectionConfig, toPgConfig } from '../uri/pg-config';
import type { ConnectionPool } from './pool';
import { monitorPool } from './pool-metrics';
import { type PoolOptions, type ResolvedPoolOptions, resolvePoolOptions } from './pool-options';
import { QueuePool } from './queue-pool';

/** Where a pool or engine reports: metrics, logs, and the name both carry. */
export interface InstrumentationOptions {
  /** Where metrics go; defaults to the global provider when the pool is created. */
  meterProvider?: MeterProvider;
  /** Structured logs (a pino logger fits); silent by default. */
  logger?: Logger;
  /** The pool's name on metrics and logs; defaults to `host:port/database`. */
  name?: string;
}

/** What `createPool` takes: the pool options plus where to connect. */
export interface CreatePoolOptions extends PoolOptions {
  /** A Postgres URI; a secret (`{ reveal() }`) stays unrevealed until a connection is opened. */
  uri: string | SecretLike;
}

/**
 * A Postgres pool with SQLAlchemy's QueuePool semantics (or NullPool with `pooling: false`), usable
 * directly or as Kysely's `PostgresDialect` pool. Options are checked here, once; nothing connects
 * until the first checkout.
 */
export function createPool(
  options: CreatePoolOptions,
  instrumentation: InstrumentationOptions = {},
): ConnectionPool {
  const resolved = resolvePoolOptions(options);
  const uri = parseDatabaseUri(options.uri);
  return openPool({ config: toPgConfig(uri), target: describeTarget(uri) }, resolved, instrumentation);
}

/** Where a pool connects: the driver configuration and `host:port/database` for names and errors. */
export interface PoolTarget {
  readonly config: PgConnectionConfig;
  readonly target: string;
}

/**
 * Opens a pool whose URI and options have been checked already, so it cannot throw: a caller that
 * checks several URIs first leaves nothing attached to the meter provider when one of them is bad.
 */
export function openPool(
  { config, target }: PoolTarget,
  resolved: ResolvedPoolOptions,
  instrumentation: InstrumentationOptions,
): ConnectionPool {
  const pool = new QueuePool(config, resolved, {
    name: instrumentation.name ?? target,
    target,
    logger: instrumentation.logger ?? silentLogger,
  });
  if (resolved.monitoring) {
    const { meterProvider } = instrumentation;
    const { metricNames, connectionCountName } = resolved;
    pool.onEnd(monitorPool(pool, { meterProvider, metricNames, connectionCountName }));
  }
  return pool;
}
