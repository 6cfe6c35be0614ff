import type { Logger } from '@letta/core';
import type { Engine } from '../engine/create-engine';
import { internalsOf } from '../engine/engine-internals';
import { wholeNumber } from '../options/option-checks';
import { endPgClient } from '../pool/pg-client';
import { announcedPid, openSession, type SessionTarget } from './session-connection';

/** What `checkConnectionBudget` checks: how many instances share the database, and what to keep free. */
export interface ConnectionBudgetOptions {
  /**
   * How many processes open this engine against the same database: server replicas times worker
   * processes (LETTA_UVICORN_WORKERS) each, plus anything else that runs the same pool.
   */
  instances: number;
  /**
   * Connections to keep free beyond the server's own reserved ones: migrations, admin sessions,
   * monitoring, the leader elector (one per instance while it campaigns), replication. @default 10
   */
  reserve?: number;
  /** Defaults to the engine's logger. */
  logger?: Logger;
}

/** The arithmetic of a connection budget check. */
export interface ConnectionBudget {
  readonly instances: number;
  /** The most connections one instance's pool opens (its `stats().max`); `Infinity` when unbounded. */
  readonly perInstance: number;
  /** `instances × perInstance`. */
  readonly needed: number;
  /** The server's `max_connections`. */
  readonly maxConnections: number;
  /** `superuser_reserved_connections`, plus `reserved_connections` on PostgreSQL 16 and later. */
  readonly serverReserved: number;
  readonly reserve: number;
  /** `maxConnections - serverReserved - reserve`. */
  readonly available: number;
  /**
   * The engine reaches PostgreSQL through a pooler such as PgBouncer, so its pool counts against the
   * pooler's `max_client_conn`, and the pooler's own pool sizes are what must fit `max_connections`.
   */
  readonly throughPooler: boolean;
  /** `needed <= available`, or true through a pooler (whose configuration this cannot see). */
  readonly withinBudget: boolean;
}

const DEFAULT_RESERVE = 10;

interface ServerLimitsRow {
  max_connections: number;
  server_reserved: number;
  pid: number;
}

interface ServerLimits {
  readonly maxConnections: number;
  readonly serverReserved: number;
  /** The backend pid differs from the one announced at connect: a pooler such as PgBouncer is in between. */
  readonly throughPooler: boolean;
}

/**
 * Checks at startup that `instances × (poolSize + maxOverflow)` fits in the server's `max_connections`
 * minus its reserved connections and `reserve`, and logs a warning through the logger when it does not.
 * Opens one short-lived connection. Resolves to `null` on SQLite, which has no connection limit.
 */
export async function checkConnectionBudget<DB>(
  engine: Engine<DB>,
  options: ConnectionBudgetOptions,
): Promise<ConnectionBudget | null> {
  const internals = internalsOf(engine, 'checkConnectionBudget');
  const instances = wholeNumber(
    'instances',
    options.instances,
    1,
    'a whole number of 1 or more (server replicas × workers)',
  );
  const reserve = wholeNumber(
    'reserve',
    options.reserve ?? DEFAULT_RESERVE,
    0,
    'a whole number of 0 or more',
  );
  const logger = options.logger ?? internals.logger;
  if (internals.postgres === undefined) return null;

  const limits = await readServerLimits(internals.postgres.main);
  const perInstance = engine.pool.stats().max;
  const needed = instances * perInstance;
  const available = limits.maxConnections - limits.serverReserved - reserve;
  const budget: ConnectionBudget = {
    instances,
    perInstance,
    needed,
    maxConnections: limits.maxConnections,
    serverReserved: limits.serverReserved,
    reserve,
    available,
    throughPooler: limits.throughPooler,
    withinBudget: limits.throughPooler || needed <= available,
  };
  logBudget(logger, engine.pool.name, budget);
  return budget;
}

/** The server's connection limits, read on one short-lived connection. */
async function readServerLimits(target: SessionTarget): Promise<ServerLimits> {
  const client = await openSession(target, () => {});
  try {
    const { rows } = await client.query<ServerLimitsRow>(
      "select current_setting('max_connections')::int as max_connections, " +
        "current_setting('superuser_reserved_connections')::int + " +
        "coalesce(current_setting('reserved_connections', true)::int, 0) as server_reserved, " +
        'pg_backend_pid() as pid',
    );
    const row = rows[0] as ServerLimitsRow;
    return {
      maxConnections: row.max_connections,
      serverReserved: row.server_reserved,
      throughPooler: row.pid !== announcedPid(client),
    };
  } finally {
    await endPgClient(client);
  }
}

/** An info line through a pooler, a warning when the budget is exceeded, nothing otherwise. */
function logBudget(logger: Logger, pool: string, budget: ConnectionBudget): void {
  const { instances, perInstance, needed, reserve, available } = budget;
  const fields = {
    pool,
    instances,
    perInstance: Number.isFinite(perInstance) ? perInstance : 'unbounded',
    maxConnections: budget.maxConnections,
    serverReserved: budget.serverReserved,
    reserve,
    available,
  };
  if (budget.throughPooler) {
    logger.info(
      fields,
      'the database is reached through a pooler such as PgBouncer: size its pools to fit max_connections',
    );
  } else if (!budget.withinBudget) {
    logger.warn(
      { ...fields, needed: Number.isFinite(needed) ? needed : 'unbounded' },
      'database connection budget exceeded: instances x (pool size + max overflow) is more than ' +
        'max_connections minus the reserved connections; lower LETTA_PG_POOL_SIZE or LETTA_PG_MAX_OVERFLOW ' +
        '(or set LETTA_DB_MAX_CONCURRENT_SESSIONS in no-pool mode), raise max_connections, or put PgBouncer in front',
    );
  }
}
