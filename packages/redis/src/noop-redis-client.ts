import type {
  AcquireLockOptions,
  RedisClient,
  RedisLock,
  SetOptions,
  StreamEntry,
  StreamInfo,
  StreamReadResult,
  XaddOptions,
  XrangeOptions,
  XreadOptions,
  XtrimOptions,
} from './redis-client';
import { RedisConnectionError } from './redis-errors';

/**
 * The client used when Redis is not configured (or not ready at startup, with `fallback: 'noop'`). It
 * behaves like a Redis that stores nothing and returns Letta's no-op values: reads miss, writes report
 * that nothing was stored, counts are 0. It is silent everywhere except `acquireLock`, which throws,
 * because a lock that excludes nobody would be a lie. Blocking reads wait out their `block` time.
 */
export class NoopRedisClient implements RedisClient {
  readonly isNoop = true;
  readonly #waiting = new Set<() => void>();
  #closed = false;

  get(key: string): Promise<string | null>;
  get<T>(key: string, defaultValue: T): Promise<string | T>;
  async get<T>(_key: string, defaultValue: T | null = null): Promise<string | T | null> {
    this.#checkOpen('get');
    return defaultValue;
  }

  async set(_key: string, _value: string | number, _options?: SetOptions): Promise<boolean> {
    this.#checkOpen('set');
    return false;
  }

  exists(..._keys: string[]): Promise<number> {
    return this.#zero('exists');
  }

  delete(..._keys: string[]): Promise<number> {
    return this.#zero('delete');
  }

  incr(_key: string): Promise<number> {
    return this.#zero('incr');
  }

  decr(_key: string): Promise<number> {
    return this.#zero('decr');
  }

  sadd(_key: string, ..._members: string[]): Promise<number> {
    return this.#zero('sadd');
  }

  srem(_key: string, ..._members: string[]): Promise<number> {
    return this.#zero('srem');
  }

  async smembers(_key: string): Promise<Set<string>> {
    this.#checkOpen('smembers');
    return new Set();
  }

  scard(_key: string): Promise<number> {
    return this.#zero('scard');
  }

  async smismember(_key: string, members: readonly string[]): Promise<boolean[]> {
    this.#checkOpen('smismember');
    return members.map(() => false);
  }

  async xadd(_stream: string, _fields: Record<string, string>, _options?: XaddOptions): Promise<string> {
    this.#checkOpen('xadd');
    return '';
  }

  async xread(_streams: Record<string, string>, options: XreadOptions = {}): Promise<StreamReadResult[]> {
    this.#checkOpen('xread');
    // Nothing ever arrives, so a blocking read waits its full block: a consumer loop must not spin.
    if (options.block !== undefined) await this.#waitOut(options.block);
    return [];
  }

  xrange(_stream: string, _options?: XrangeOptions): Promise<StreamEntry[]> {
    return this.#empty('xrange');
  }

  xrevrange(_stream: string, _options?: XrangeOptions): Promise<StreamEntry[]> {
    return this.#empty('xrevrange');
  }

  xlen(_stream: string): Promise<number> {
    return this.#zero('xlen');
  }

  xdel(_stream: string, ..._ids: string[]): Promise<number> {
    return this.#zero('xdel');
  }

  async xinfoStream(_stream: string): Promise<StreamInfo | null> {
    this.#checkOpen('xinfoStream');
    return null;
  }

  xtrim(_stream: string, _maxlen: number, _options?: XtrimOptions): Promise<number> {
    return this.#zero('xtrim');
  }

  async ping(): Promise<boolean> {
    return !this.#closed;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const finish of this.#waiting) finish();
  }

  async checkInclusionAndExclusion(_member: string, _group: string): Promise<boolean> {
    this.#checkOpen('checkInclusionAndExclusion');
    return true;
  }

  async createInclusionExclusionKeys(_group: string): Promise<void> {
    this.#checkOpen('createInclusionExclusionKeys');
  }

  async acquireLock(name: string, _options: AcquireLockOptions): Promise<RedisLock | null> {
    this.#checkOpen('acquireLock');
    throw new RedisConnectionError(
      `acquireLock("${name}") needs Redis, but this is the no-op client (Redis is not configured, or was ` +
        'not ready when the client was created), which cannot grant locks. Check client.isNoop before ' +
        'locking, or configure Redis (LETTA_REDIS_HOST).',
    );
  }

  async acquireConversationLock(_conversationId: string, _token?: string): Promise<RedisLock | null> {
    this.#checkOpen('acquireConversationLock');
    return null;
  }

  async releaseConversationLock(_conversationId: string, _token: string): Promise<boolean> {
    this.#checkOpen('releaseConversationLock');
    return false;
  }

  async acquireMemoryRepoLock(_agentId: string, _token?: string): Promise<RedisLock | null> {
    this.#checkOpen('acquireMemoryRepoLock');
    return null;
  }

  async releaseMemoryRepoLock(_agentId: string, _token: string): Promise<boolean> {
    this.#checkOpen('releaseMemoryRepoLock');
    return false;
  }

  async #zero(method: string): Promise<number> {
    this.#checkOpen(method);
    return 0;
  }

  async #empty(method: string): Promise<StreamEntry[]> {
    this.#checkOpen(method);
    return [];
  }

  #checkOpen(method: string): void {
    if (this.#closed) {
      throw new RedisConnectionError(
        `The no-op Redis client was closed, so ${method} cannot be called. Create a new client with ` +
          'createRedisClient.',
      );
    }
  }

  #waitOut(blockMs: number): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#waiting.delete(finish);
        resolve();
      };
      const timer = blockMs === 0 ? undefined : setTimeout(finish, blockMs);
      this.#waiting.add(finish);
    });
  }
}
