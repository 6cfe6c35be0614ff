import type { Logger } from '@letta/core';
import { COMMAND_TIMED_OUT } from './command-deadlines';
import type { CommandTracing } from './command-tracing';
import type { ConnectionOptions } from './ioredis-connection';
import { RedisConnectionError, RedisTimeoutError } from './redis-errors';
import type { OperationMetrics, RedisMetrics } from './redis-metrics';

/** One kind of call the client makes, with what the runner needs to time, retry and explain it. */
export interface Operation {
  /** The Redis command, e.g. `GET`; `db.operation.name` in metrics. */
  readonly command: string;
  /** Letta's method name, e.g. `xinfo_stream`; the `operation` of `redis_timeout_total`. */
  readonly method: string;
  /** Idempotent reads may be sent again after a timeout; writes never are (they may still run). */
  readonly retryOnTimeout: boolean;
  readonly metrics: OperationMetrics | null;
}

// [command, Letta method name, idempotent read]
const OPERATIONS = {
  get: ['GET', 'get', true],
  set: ['SET', 'set', false],
  exists: ['EXISTS', 'exists', true],
  delete: ['DEL', 'delete', false],
  incr: ['INCR', 'incr', false],
  decr: ['DECR', 'decr', false],
  sadd: ['SADD', 'sadd', false],
  srem: ['SREM', 'srem', false],
  smembers: ['SMEMBERS', 'smembers', true],
  scard: ['SCARD', 'scard', true],
  smismember: ['SMISMEMBER', 'smismember', true],
  xadd: ['XADD', 'xadd', false],
  xread: ['XREAD', 'xread', true],
  // A blocking read already waited its deadline; waiting it out again would double what the caller asked.
  xreadBlocking: ['XREAD', 'xread', false],
  xrange: ['XRANGE', 'xrange', true],
  xrevrange: ['XREVRANGE', 'xrevrange', true],
  xlen: ['XLEN', 'xlen', true],
  xdel: ['XDEL', 'xdel', false],
  xinfoStream: ['XINFO', 'xinfo_stream', true],
  xtrim: ['XTRIM', 'xtrim', false],
  ping: ['PING', 'ping', false],
  acquireLock: ['EVALSHA', 'acquire_lock', false],
  releaseLock: ['EVALSHA', 'release_lock', false],
  extendLock: ['EVALSHA', 'extend_lock', false],
} as const satisfies Record<string, readonly [string, string, boolean]>;

export type OperationName = keyof typeof OPERATIONS;

/**
 * Runs every command of one client: times it, retries an idempotent read once after a timeout (Letta's
 * `retry_on_timeout`), counts timeouts, and turns ioredis' terse errors into ones that say what happened.
 */
export class CommandRunner {
  readonly operations: Readonly<Record<OperationName, Operation>>;
  readonly #options: ConnectionOptions;
  readonly #logger: Logger;
  readonly #tracing: CommandTracing | null;
  #closed = false;

  constructor(
    options: ConnectionOptions,
    metrics: RedisMetrics | null,
    logger: Logger,
    tracing: CommandTracing | null = null,
  ) {
    this.#options = options;
    this.#logger = logger;
    this.#tracing = tracing;
    const operations = {} as Record<OperationName, Operation>;
    for (const [name, [command, method, read]] of Object.entries(OPERATIONS)) {
      operations[name as OperationName] = {
        command,
        method,
        retryOnTimeout: read && options.retryOnTimeout,
        metrics: metrics?.operation(command, method) ?? null,
      };
    }
    this.operations = operations;
  }

  /** Marks the client closed: from now on failures say so. */
  close(): void {
    this.#closed = true;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends a command through `send`, inside a client span when tracing is on, and gives its reply through
   * `map` when one is given. The success path adds one promise to ioredis' own.
   */
  run<T>(operation: Operation, send: () => Promise<T>): Promise<T>;
  run<T, R>(operation: Operation, send: () => Promise<T>, map: (reply: T) => R): Promise<R>;
  run<T, R>(operation: Operation, send: () => Promise<T>, map?: (reply: T) => R): Promise<T | R> {
    if (this.#tracing === null) return this.#timed(operation, send, map);
    return this.#tracing.span(operation.command, () => this.#timed(operation, send, map));
  }

  #timed<T, R>(operation: Operation, send: () => Promise<T>, map?: (reply: T) => R): Promise<T | R> {
    const { metrics } = operation;
    if (metrics === null) {
      return send().then(map, (cause: unknown) => this.#failed(operation, send, map, cause, 0));
    }
    const start = performance.now();
    return send().then(
      (reply) => {
        metrics.recordDuration(start);
        return map === undefined ? reply : map(reply);
      },
      (cause: unknown) => this.#failed(operation, send, map, cause, start),
    );
  }

  async #failed<T, R>(
    operation: Operation,
    send: () => Promise<T>,
    map: ((reply: T) => R) | undefined,
    cause: unknown,
    start: number,
  ): Promise<T | R> {
    let error = this.#explain(operation, cause);
    if (error instanceof RedisTimeoutError) {
      operation.metrics?.recordTimeout();
      if (operation.retryOnTimeout) {
        this.#logger.warn(
          { operation: operation.method, timeoutMs: error.timeoutMs },
          'Redis read timed out; retrying it once',
        );
        try {
          const reply = await send();
          operation.metrics?.recordDuration(start);
          return map === undefined ? reply : map(reply);
        } catch (retryCause) {
          error = this.#explain(operation, retryCause);
          if (error instanceof RedisTimeoutError) operation.metrics?.recordTimeout();
        }
      }
    }
    operation.metrics?.recordDuration(start, errorType(error));
    throw error;
  }

  /** The error to give the caller for a failure of `operation`. Server replies pass through unchanged. */
  #explain(operation: Operation, cause: unknown): Error {
    if (cause instanceof RedisTimeoutError || cause instanceof RedisConnectionError) return cause;
    if (!(cause instanceof Error)) return new Error(String(cause));
    const { command } = operation;
    const { where } = this.#options.topology;
    if (cause.message === COMMAND_TIMED_OUT) {
      const timeoutMs = this.#options.commandTimeoutMs;
      return new RedisTimeoutError(
        `Redis ${command} got no reply from ${where} within ${timeoutMs} ms (commandTimeoutMs). ` +
          'It may still run on the server. Check the server load, or raise commandTimeoutMs.',
        command,
        timeoutMs,
        { cause },
      );
    }
    if (this.#closed) {
      return new RedisConnectionError(
        `Redis ${command} failed because this client was closed. Create a new client with createRedisClient.`,
        { cause },
      );
    }
    if (
      cause.message.startsWith("Stream isn't writeable") ||
      cause.message.startsWith("Cluster isn't ready")
    ) {
      return new RedisConnectionError(
        `Redis ${command} was not sent: the connection to ${where} is down. The client reconnects in the ` +
          `background (waiting up to ${this.#options.maxReconnectDelayMs} ms between attempts); retry later.`,
        { cause },
      );
    }
    if (
      cause.name === 'MaxRetriesPerRequestError' ||
      cause.name === 'AbortError' ||
      cause.message === 'Connection is closed.'
    ) {
      return new RedisConnectionError(
        `Redis ${command} failed: the connection to ${where} was lost before the reply, so the command ` +
          'may or may not have run. The client reconnects in the background; retry later.',
        { cause },
      );
    }
    return cause;
  }
}

/** `error.type` for metrics: a low-cardinality name, the Redis error code for server replies. */
function errorType(error: Error): string {
  if (error instanceof RedisTimeoutError) return 'timeout';
  if (error instanceof RedisConnectionError) return 'connection';
  if (error.name === 'ReplyError') return /^[A-Z]+/.exec(error.message)?.[0] ?? 'ReplyError';
  return error.name;
}
