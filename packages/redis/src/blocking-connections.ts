import type { Logger } from '@letta/core';
import type { RedisConnection } from './ioredis-connection';
import { RedisConnectionError, RedisTimeoutError } from './redis-errors';

/** When a blocking call must have its reply, and what to say when it has none. */
export interface BlockingDeadline {
  readonly ms: number;
  /** The Redis command, for `RedisTimeoutError.command`. */
  readonly command: string;
  describe(): string;
}

/**
 * Connections for blocking calls (`XREAD BLOCK`, and lock writes followed by `WAIT`), one per call in
 * progress, so a call that waits never holds up other commands. Connections are opened on demand (at
 * most `max`), kept for the next call, and dropped when a call fails or misses its deadline (the blocked
 * command may still be pending on them).
 */
export class BlockingConnections {
  readonly #open: () => RedisConnection;
  readonly #max: number;
  readonly #logger: Logger;
  readonly #all = new Set<RedisConnection>();
  readonly #idle: RedisConnection[] = [];
  #closed = false;

  constructor(open: () => RedisConnection, max: number, logger: Logger) {
    this.#open = open;
    this.#max = max;
    this.#logger = logger;
  }

  /**
   * Runs `call` on a connection of its own. With a `deadline`, a call (including the wait for its
   * connection) with no reply by then fails with a `RedisTimeoutError` that `deadline` describes.
   */
  async use<T>(
    call: (connection: RedisConnection) => Promise<T>,
    deadline: BlockingDeadline | null,
  ): Promise<T> {
    const acquiring = this.#acquire();
    const calling = acquiring.then(call);
    let timer: NodeJS.Timeout | undefined;
    const expiry =
      deadline === null
        ? null
        : new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new RedisTimeoutError(deadline.describe(), deadline.command, deadline.ms)),
              deadline.ms,
            );
          });
    try {
      const result = await (expiry ? Promise.race([calling, expiry]) : calling);
      this.#idle.push(await acquiring);
      return result;
    } catch (error) {
      // Possibly still connecting or still blocked: drop the connection whenever it is there.
      acquiring.then(
        (connection) => this.#drop(connection),
        () => {},
      );
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Disconnects every connection; calls in progress are rejected. */
  closeAll(): void {
    this.#closed = true;
    for (const connection of this.#all) connection.disconnect();
    this.#all.clear();
    this.#idle.length = 0;
  }

  async #acquire(): Promise<RedisConnection> {
    // The message ioredis uses for a closed client, so the caller explains it like any other.
    if (this.#closed) throw new Error('Connection is closed.');
    for (let idle = this.#idle.pop(); idle; idle = this.#idle.pop()) {
      if (idle.status === 'ready') return idle;
      this.#drop(idle);
    }
    if (this.#all.size >= this.#max) {
      throw new RedisConnectionError(
        `All ${this.#max} connections for blocking calls are in use (maxBlockingConnections), so this ` +
          'call was not sent. Raise maxBlockingConnections, or use a shorter block.',
      );
    }
    const connection = this.#open();
    connection.on('error', (error: Error) =>
      this.#logger.debug({ error: error.message }, 'Redis blocking-call connection error'),
    );
    this.#all.add(connection);
    try {
      await connection.connect();
    } catch (cause) {
      this.#drop(connection);
      throw new RedisConnectionError(
        'Could not open a Redis connection for a blocking call (xread with block, or a lock that waits for ' +
          'replicas); Redis appears to be down. Retry later.',
        { cause },
      );
    }
    return connection;
  }

  #drop(connection: RedisConnection): void {
    this.#all.delete(connection);
    connection.disconnect();
  }
}
