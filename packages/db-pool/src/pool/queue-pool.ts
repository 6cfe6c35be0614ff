import { performance } from 'node:perf_hooks';
import type { Logger } from '@letta/core';
import type { PgConnectionConfig } from '../uri/pg-config';
import { ConnectionFactory } from './connection-factory';
import { errorType, isConnectionFailure } from './connection-failure';
import { endPgClient } from './pg-client';
import { type ConnectionPool, formatStatus, type PoolClient, type PoolStats } from './pool';
import { PoolBase } from './pool-base';
import { DatabaseUnavailableError, PoolClosedError, PoolTimeoutError } from './pool-errors';
import type { CloseReason } from './pool-events';
import type { ResolvedPoolOptions } from './pool-options';
import { type ConnectionOwner, PooledConnection } from './pooled-connection';
import { withinDeadline } from './round-trip-deadline';
import { type Waiter, WaiterQueue } from './waiter-queue';

export interface QueuePoolContext {
  readonly name: string;
  /** `host:port/database`, for connection errors. */
  readonly target: string;
  readonly logger: Logger;
}

/**
 * SQLAlchemy's QueuePool over `pg.Client`, and its NullPool when `pooling` is false (every idle slot is
 * then zero, so each returned connection is closed). Capacity counts connections being opened and
 * being closed, so the server never sees more backends than `poolSize + maxOverflow`.
 */
export class QueuePool extends PoolBase implements ConnectionPool, ConnectionOwner {
  readonly mode: 'queue' | 'null';
  readonly options: ResolvedPoolOptions;
  readonly #factory: ConnectionFactory;
  /** Idle connections, oldest return first: LIFO takes from the end, FIFO from the front. */
  readonly #idle: PooledConnection[] = [];
  readonly #waiters: WaiterQueue;
  readonly #capacity: number;
  /** `maxConcurrentSessions`, not `poolSize + maxOverflow`, is what bounds the capacity. */
  readonly #limitedBySessions: boolean;
  readonly #idleLimit: number;
  /** Idle, checked out, or opening: the `total` in `stats()`. */
  #open = 0;
  /** `#open` plus connections still closing: what the capacity bounds. */
  #slots = 0;
  /** Connections opened before this moment are recycled at checkout (set by a disconnect). */
  #invalidatedBefore = Number.NEGATIVE_INFINITY;
  #ending: Promise<void> | undefined;
  #drained: (() => void) | undefined;

  constructor(config: PgConnectionConfig, options: ResolvedPoolOptions, context: QueuePoolContext) {
    super(context.name, context.logger);
    this.options = options;
    this.mode = options.pooling ? 'queue' : 'null';
    this.#factory = new ConnectionFactory(config, options, {
      poolName: context.name,
      target: context.target,
      events: this.events,
      logger: context.logger,
    });
    this.#waiters = new WaiterQueue((waiter) => this.#timedOut(waiter));
    const sessions = options.maxConcurrentSessions ?? Number.POSITIVE_INFINITY;
    const unlimited = options.poolSize === 0 || options.maxOverflow === -1;
    const poolMax = unlimited ? Number.POSITIVE_INFINITY : options.poolSize + options.maxOverflow;
    this.#capacity = options.pooling ? Math.min(poolMax, sessions) : sessions;
    this.#limitedBySessions = !options.pooling || sessions < poolMax;
    this.#idleLimit = !options.pooling
      ? 0
      : options.poolSize === 0
        ? Number.POSITIVE_INFINITY
        : options.poolSize;
  }

  connect(): Promise<PoolClient> {
    if (this.#ending) return Promise.reject(new PoolClosedError(this.name));
    const start = performance.now();
    const idle = this.options.useLifo ? this.#idle.pop() : this.#idle.shift();
    if (idle !== undefined) {
      return this.#isReady(idle, start)
        ? Promise.resolve(this.#handOut(idle, start))
        : this.#checkOutSlowly(idle, start);
    }
    if (this.#slots < this.#capacity) {
      this.#reserveSlot();
      return this.#openAndHandOut(start);
    }
    return new Promise((resolve, reject) => {
      this.#waiters.push({ start, deadline: start + this.options.poolTimeoutMs, resolve, reject });
    });
  }

  checkin(connection: PooledConnection, error: Error | boolean | undefined): void {
    if (!connection.checkedOut) {
      throw new Error(
        `release() was called for connection ${connection.id} of pool "${this.name}", which is not checked ` +
          'out. Release each checkout exactly once.',
      );
    }
    if (error) this.lost(connection, error instanceof Error ? error : new Error('released with an error'));
    connection.checkedOut = false;
    const now = performance.now();
    connection.lastReleasedAt = now;
    const useMs = now - connection.checkedOutAt;
    // A connection about to be closed needs no reset: closing it ends the transaction on the server.
    const keeps = !connection.lostError && this.#idleLimit > 0 && !this.#ending;
    const status = keeps ? connection.client.getTransactionStatus() : null;
    if (status === 'T' || status === 'E') {
      void this.#rollbackThenReturn(connection, status, useMs);
      return;
    }
    this.#emitCheckin(connection, useMs);
    this.#return(connection);
  }

  lost(connection: PooledConnection, error: Error): void {
    if (connection.closed) return;
    connection.lostError ??= error;
    if (!connection.invalidated) {
      connection.invalidated = true;
      this.events.emit('invalidate', { connectionId: connection.id, error });
      this.logger.warn(
        { pool: this.name, connectionId: connection.id, errorType: errorType(error) },
        'database connection invalidated',
      );
      // As SQLAlchemy does for a disconnect during use: every older connection is suspect too.
      if (connection.checkedOut && isConnectionFailure(error)) this.#invalidatedBefore = performance.now();
    }
    const index = this.#idle.indexOf(connection);
    if (index >= 0) {
      this.#idle.splice(index, 1);
      this.#retire(connection, 'invalidated');
    }
  }

  invalidate(client: PoolClient, options: { soft?: boolean; error?: Error } = {}): void {
    if (!(client instanceof PooledConnection)) {
      throw new TypeError(
        `invalidate() needs a client that pool "${this.name}" handed out from connect(); it was given something else.`,
      );
    }
    if (options.soft) {
      if (client.softInvalidated) return;
      client.softInvalidated = true;
      this.events.emit('soft_invalidate', { connectionId: client.id, error: options.error });
      return;
    }
    this.lost(client, options.error ?? new Error('invalidated by the application'));
    void endPgClient(client.client);
  }

  end(): Promise<void> {
    this.#ending ??= this.#drain();
    return this.#ending;
  }

  stats(): PoolStats {
    const idle = this.#idle.length;
    const total = this.#open;
    const size = this.mode === 'queue' ? this.options.poolSize : 0;
    return {
      size,
      checkedOut: total - idle,
      idle,
      overflow: this.mode === 'queue' ? total - size : 0,
      waiting: this.#waiters.length,
      total,
      max: this.#capacity,
    };
  }

  status(): string {
    return this.mode === 'null' ? 'NullPool' : formatStatus(this.stats());
  }

  #reserveSlot(): void {
    this.#open++;
    this.#slots++;
  }

  #timedOut(waiter: Waiter): void {
    const waitMs = performance.now() - waiter.start;
    this.events.emit('timeout', { waitMs });
    this.logger.warn(
      { pool: this.name, waitMs, waiting: this.#waiters.length },
      'database pool checkout timed out',
    );
    waiter.reject(this.#timeoutError());
  }

  #timeoutError(): PoolTimeoutError {
    const { poolSize, maxOverflow, poolTimeoutMs } = this.options;
    return this.#limitedBySessions
      ? PoolTimeoutError.sessionLimit(
          this.mode === 'queue' ? 'QueuePool' : 'NullPool',
          this.#capacity,
          poolTimeoutMs,
        )
      : PoolTimeoutError.queuePool(poolSize, maxOverflow, poolTimeoutMs);
  }

  /** What is left of the `poolTimeoutMs` of a checkout that started at `start`. */
  #budget(start: number): number {
    return start + this.options.poolTimeoutMs - performance.now();
  }

  /** Whether a reused connection can be handed out as it is: SQLAlchemy's checkout checks, without I/O. */
  #isReady(connection: PooledConnection, now: number): boolean {
    return (
      connection.lostError === undefined &&
      now < connection.expiresAt &&
      connection.createdAt >= this.#invalidatedBefore &&
      (!this.options.prePing || now - connection.lastReleasedAt < this.options.prePingBypassMs)
    );
  }

  #handOut(connection: PooledConnection, start: number): PooledConnection {
    const now = performance.now();
    connection.checkedOut = true;
    connection.checkedOutAt = now;
    if (this.events.has('checkout')) {
      this.events.emit('checkout', { connectionId: connection.id, waitMs: now - start });
    }
    return connection;
  }

  /** Replaces a broken or stale connection, or pre-pings it, before handing it out. */
  async #checkOutSlowly(connection: PooledConnection, start: number): Promise<PooledConnection> {
    const now = performance.now();
    if (connection.lostError) return this.#replace(connection, 'invalidated', start);
    if (now >= connection.expiresAt || connection.createdAt < this.#invalidatedBefore) {
      return this.#replace(connection, 'recycle', start);
    }
    const pingMs = Math.min(this.options.connectTimeoutMs, this.#budget(start));
    if (pingMs <= 0) {
      // A waiter handed a connection at its very deadline: it timed out waiting.
      this.#return(connection);
      throw this.#timeoutError();
    }
    let unanswered = false;
    try {
      await withinDeadline(connection.client, connection.client.query('SELECT 1'), pingMs, () => {
        unanswered = true;
        return new Error(`the pre-ping got no answer within ${Math.round(pingMs)} ms`);
      });
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error));
      this.lost(connection, cause);
      // A server that does not answer, or dropped this connection, leaves every older one suspect too.
      if (unanswered || isConnectionFailure(cause)) this.#invalidatedBefore = performance.now();
      return this.#replace(connection, 'invalidated', start);
    }
    if (this.#ending) {
      this.#retire(connection, 'end');
      throw new PoolClosedError(this.name);
    }
    return this.#handOut(connection, start);
  }

  /** Closes a connection and opens its replacement in the same slot (one retry, as in SQLAlchemy). */
  async #replace(
    connection: PooledConnection,
    reason: CloseReason,
    start: number,
  ): Promise<PooledConnection> {
    connection.closed = true;
    this.events.emit('close', { connectionId: connection.id, reason });
    // A lost connection's socket is gone already; a healthy one may take what is left of the checkout.
    if (!connection.lostError) await endPgClient(connection.client, Math.max(1, this.#budget(start)));
    else void endPgClient(connection.client);
    return this.#openAndHandOut(start);
  }

  /** Opens a connection in a slot the caller reserved (giving it back if that fails) and hands it out. */
  async #openAndHandOut(start: number): Promise<PooledConnection> {
    let connection: PooledConnection;
    try {
      const budgetMs = this.#budget(start);
      if (budgetMs <= 0) throw this.#unavailableAfterBudget();
      connection = await this.#factory.open(this, budgetMs);
    } catch (error) {
      this.#open--;
      this.#releaseSlot();
      throw error;
    }
    if (this.#ending) {
      this.#retire(connection, 'end');
      throw new PoolClosedError(this.name);
    }
    return this.#handOut(connection, start);
  }

  /** A checkout whose pre-ping used up all of `poolTimeoutMs`, leaving no time to connect. */
  #unavailableAfterBudget(): DatabaseUnavailableError {
    return new DatabaseUnavailableError(
      { pool: this.name, setting: 'poolTimeoutMs' },
      `no connection could be checked and opened within poolTimeoutMs (${this.options.poolTimeoutMs} ms)`,
    );
  }

  /** SQLAlchemy's reset-on-return, run only when a transaction is open (pg tracks that without a round trip). */
  async #rollbackThenReturn(connection: PooledConnection, status: 'T' | 'E', useMs: number): Promise<void> {
    this.events.emit('reset', { connectionId: connection.id, transactionStatus: status });
    const timeoutMs = this.options.connectTimeoutMs;
    try {
      await withinDeadline(
        connection.client,
        connection.client.query('ROLLBACK'),
        timeoutMs,
        () => new Error(`the rollback on return got no answer within ${timeoutMs} ms (connectTimeoutMs)`),
      );
    } catch (error) {
      this.lost(connection, error instanceof Error ? error : new Error(String(error)));
    }
    this.#emitCheckin(connection, useMs);
    this.#return(connection);
  }

  #emitCheckin(connection: PooledConnection, useMs: number): void {
    if (this.events.has('checkin')) this.events.emit('checkin', { connectionId: connection.id, useMs });
  }

  #return(connection: PooledConnection): void {
    const reason = this.#closeReasonAtReturn(connection);
    if (reason) {
      this.#retire(connection, reason);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter) {
      const now = performance.now();
      waiter.resolve(
        this.#isReady(connection, now)
          ? this.#handOut(connection, waiter.start)
          : this.#checkOutSlowly(connection, waiter.start),
      );
    } else if (this.#idle.length >= this.#idleLimit) {
      this.#retire(connection, 'overflow');
    } else {
      this.#idle.push(connection);
    }
  }

  #closeReasonAtReturn(connection: PooledConnection): CloseReason | undefined {
    if (connection.lostError) return 'invalidated';
    if (connection.softInvalidated) return 'soft_invalidated';
    if (this.#ending) return 'end';
    if (this.#idleLimit === 0) return 'no_pool';
    return undefined;
  }

  /** Closes a connection for good; its slot frees once the server has let it go. */
  #retire(connection: PooledConnection, reason: CloseReason): void {
    connection.closed = true;
    this.#open--;
    this.events.emit('close', { connectionId: connection.id, reason });
    void endPgClient(connection.client).then(() => this.#releaseSlot());
  }

  #releaseSlot(): void {
    this.#slots--;
    while (this.#waiters.length > 0 && this.#slots < this.#capacity) {
      const waiter = this.#waiters.shift() as Waiter;
      this.#reserveSlot();
      waiter.resolve(this.#openAndHandOut(waiter.start));
    }
    if (this.#ending && this.#slots === 0) this.#drained?.();
  }

  async #drain(): Promise<void> {
    const closed = new PoolClosedError(this.name);
    for (const waiter of this.#waiters.drain()) waiter.reject(closed);
    for (const connection of this.#idle.splice(0)) this.#retire(connection, 'end');
    if (this.#slots > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
    this.runEndHooks();
  }
}
