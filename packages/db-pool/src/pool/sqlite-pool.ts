import { performance } from 'node:perf_hooks';
import type { Logger } from '@letta/core';
import type { DatabaseConnection, Driver, SqliteDialect } from 'kysely';
import type { KyselyModule } from '../engine/kysely-module';
import type { SqliteDatabaseHandle } from '../engine/sqlite-database';
import { formatStatus, type Pool, type PoolStats } from './pool';
import { PoolBase } from './pool-base';

const CONNECTION_ID = 1;

/**
 * The embedded database seen as a pool of one connection, so that `engine.pool` has the same stats,
 * status line and events on SQLite as on Postgres. Kysely serialises access to the connection; callers
 * queued behind it are `waiting`.
 */
export class SqlitePool extends PoolBase implements Pool {
  readonly mode = 'sqlite';
  readonly #database: SqliteDatabaseHandle;
  #open = true;
  #busy = false;
  #waiting = 0;
  #checkedOutAt = 0;

  constructor(database: SqliteDatabaseHandle, name: string, logger: Logger) {
    super(name, logger);
    this.#database = database;
  }

  /** A dialect for Kysely whose connection hand-outs this pool observes. */
  dialect(kysely: KyselyModule): SqliteDialect {
    const config = { database: this.#database };
    const ObservedSqliteDriver = observedSqliteDriver(kysely, this);
    return new (class extends kysely.SqliteDialect {
      override createDriver(): Driver {
        return new ObservedSqliteDriver(config);
      }
    })(config);
  }

  /** Reports the connection that `openSqliteDatabase` opened, once monitoring listens. */
  opened(durationMs: number): void {
    const event = { connectionId: CONNECTION_ID, durationMs };
    this.events.emit('connect', event);
    this.events.emit('first_connect', event);
  }

  acquiring(): number {
    this.#waiting++;
    return performance.now();
  }

  acquired(start: number): void {
    this.#waiting--;
    this.#busy = true;
    this.#checkedOutAt = performance.now();
    if (this.events.has('checkout')) {
      this.events.emit('checkout', { connectionId: CONNECTION_ID, waitMs: this.#checkedOutAt - start });
    }
  }

  released(): void {
    this.#busy = false;
    if (this.events.has('checkin')) {
      this.events.emit('checkin', {
        connectionId: CONNECTION_ID,
        useMs: performance.now() - this.#checkedOutAt,
      });
    }
  }

  /** Closes the database (if Kysely has not) and detaches monitoring. */
  async end(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    this.#database.close();
    this.events.emit('close', { connectionId: CONNECTION_ID, reason: 'end' });
    this.runEndHooks();
  }

  stats(): PoolStats {
    const total = this.#open ? 1 : 0;
    const checkedOut = this.#busy ? 1 : 0;
    return {
      size: 1,
      checkedOut,
      idle: total - checkedOut,
      overflow: total - 1,
      waiting: this.#waiting,
      total,
      max: 1,
    };
  }

  status(): string {
    return formatStatus(this.stats());
  }
}

/** Kysely's SQLite driver, reporting each hand-out of its single connection to the pool. */
function observedSqliteDriver({ SqliteDriver }: KyselyModule, pool: SqlitePool) {
  return class ObservedSqliteDriver extends SqliteDriver {
    override async acquireConnection(): Promise<DatabaseConnection> {
      const start = pool.acquiring();
      const connection = await super.acquireConnection();
      pool.acquired(start);
      return connection;
    }

    override async releaseConnection(): Promise<void> {
      pool.released();
      await super.releaseConnection();
    }
  };
}
