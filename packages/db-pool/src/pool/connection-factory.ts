import { performance } from 'node:perf_hooks';
import type { Logger } from '@letta/core';
import type { PgConnectionConfig } from '../uri/pg-config';
import { errorType } from './connection-failure';
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

  async open(owner: ConnectionOwner): Promise<PooledConnection> {
    const { events, logger } = this.#context;
    const start = performance.now();
    let connection: PooledConnection | undefined;
    let client: Awaited<ReturnType<typeof openPgClient>>;
    try {
      client = await openPgClient(this.#config, {
        connectTimeoutMs: this.#options.connectTimeoutMs,
        target: this.#context.target,
        onLost: (error) => {
          if (connection) owner.lost(connection, error);
        },
      });
    } catch (error) {
      const durationMs = performance.now() - start;
      events.emit('connect_error', { error, durationMs });
      logger.warn(
        { pool: this.#context.poolName, errorType: errorType(error), durationMs },
        'database connection failed',
      );
      throw error;
    }
    const now = performance.now();
    const { recycleMs, recycleJitter } = this.#options;
    const lifetime =
      recycleMs === null ? Number.POSITIVE_INFINITY : recycleMs * (1 - Math.random() * recycleJitter);
    connection = new PooledConnection(
      this.#nextId++,
      client,
      owner,
      now,
      lifetime,
      this.#options.namedPreparedStatements,
    );
    const event = { connectionId: connection.id, durationMs: now - start };
    events.emit('connect', event);
    if (this.#firstConnect) {
      this.#firstConnect = false;
      events.emit('first_connect', event);
    }
    return connection;
  }
}
