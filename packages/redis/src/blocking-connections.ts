import type { RedisConnection } from './ioredis-connection';
import type { Logger } from './logger';
import { RedisConnectionError, RedisTimeoutError } from './redis-errors';

/**
 * Connections for blocking reads, one per read in progress, so a read that waits never holds up other
 * commands. Connections are opened on demand (at most `max`), kept for the next read, and dropped when a
 * read fails or misses its deadline (the blocked command may still be pending on them).
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
   * Runs `read` on a connection of its own. With a `deadlineMs`, a read (including the wait for its
   * connection) with no reply by then fails with a `RedisTimeoutError` whose message comes from
   * `describeTimeout`.
   */
  async use<T>(
    read: (connection: RedisConnection) => Promise<T>,
    deadlineMs: number | null,
    describeTimeout: () => string,
  ): Promise<T> {
    const acquiring = this.#acquire();
    const reading = acquiring.then(read);
    let timer: NodeJS.Timeout | undefined;
    const deadline =
      deadlineMs === null
        ? null
        : new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new RedisTimeoutError(describeTimeout(), 'XREAD', deadlineMs)),
              deadlineMs,
            );
          });
    try {
      const result = await (deadline ? Promise.race([reading, deadline]) : reading);
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

  /** Disconnects every connection; reads in progress are rejected. */
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
        `All ${this.#max} connections for blocking reads are in use (maxBlockingConnections), so this ` +
          'blocking xread was not sent. Raise maxBlockingConnections, or use a shorter block.',
      );
    }
    const connection = this.#open();
    connection.on('error', (error: Error) =>
      this.#logger.debug({ error: error.message }, 'Redis blocking-read connection error'),
    );
    this.#all.add(connection);
    try {
      await connection.connect();
    } catch (cause) {
      this.#drop(connection);
      throw new RedisConnectionError(
        'Could not open a Redis connection for a blocking xread; Redis appears to be down. Retry later.',
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
