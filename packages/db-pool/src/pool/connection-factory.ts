import { performance } from 'node:perf_hooks';
import type { Logger } from '@letta/core';
import type { PgConnectionConfig } from '../uri/pg-config';
import { connectFailure, errorType } from './connection-failure';
import { openPgClient } from './pg-client';
import type { PoolEvents } from './pool-events';
import type { ResolvedPoolOptions } from './pool-options';
import { type ConnectionOwner, PooledConnection } from './pooled-connection';

export interface ConnectionFactoryContext {
  readonly poolName: string;
  /** `host:port/database`, for connection errors. */
  readonly target: string;
  readonly events: PoolEvents;
  readonly logger: Logger;
}

/** Opens the pool's connections: numbers them, dates their recycling, and reports `connect` events. */
export class ConnectionFactory {
  readonly #config: PgConnectionConfig;
  readonly #options: ResolvedPoolOptions;
  readonly #context: ConnectionFactoryContext;
  #nextId = 1;
  #firstConnect = true;

  constructor(config: PgConnectionConfig, options: ResolvedPoolOptions, context: ConnectionFactoryContext) {
    this.#config = config;
    this.#options = options;
    this.#context = context;
  }

  /**
   * Opens one connection within `connectTimeoutMs`, or within `budgetMs` when that is shorter (what is
   * left of a checkout's `poolTimeoutMs`). Every failure is one of the package's errors.
   */
  async open(owner: ConnectionOwner, budgetMs = Number.POSITIVE_INFINITY): Promise<PooledConnection> {
    const { events, logger } = this.#context;
    const start = performance.now();
    const { connectTimeoutMs, statementTimeoutMs } = this.#options;
    const timeoutSetting = budgetMs < connectTimeoutMs ? 'poolTimeoutMs' : 'connectTimeoutMs';
    let connection: PooledConnection | undefined;
    let client: Awaited<ReturnType<typeof openPgClient>>;
    try {
      const config =
        statementTimeoutMs === null
          ? this.#config
          : { ...this.#config, statement_timeout: statementTimeoutMs };
      client = await openPgClient(config, {
        connectTimeoutMs: Math.max(1, Math.min(connectTimeoutMs, budgetMs)),
        target: this.#context.target,
        onLost: (error) => {
          if (connection) owner.lost(connection, error);
        },
      });
    } catch (caught) {
      const durationMs = performance.now() - start;
      const { poolName: pool, target } = this.#context;
      const error = connectFailure(caught, { pool, target, timeoutSetting });
      events.emit('connect_error', { error, durationMs });
      logger.warn({ pool, errorType: errorType(error), durationMs }, 'database connection failed');
      throw error;
    }
    const now = performance.now();
    const { recycleMs, recycleJitter } = this.#options;
    const lifetime =
      recycleMs === null ? Number.POSITIVE_INFINITY : recycleMs * (1 - Math.random() * recycleJitter);
    connection = new PooledConnection(this.#nextId++, client, owner, now, lifetime, {
      poolName: this.#context.poolName,
      namedStatements: this.#options.namedPreparedStatements,
      statementTimeoutMs,
    });
    const event = { connectionId: connection.id, durationMs: now - start };
    events.emit('connect', event);
    if (this.#firstConnect) {
      this.#firstConnect = false;
      events.emit('first_connect', event);
    }
    return connection;
  }
}
