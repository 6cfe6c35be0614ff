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
import { getRunIdByOtid, hasStreamChunks, setOtidRunMapping } from './run-keys';

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
  get<T>(_key: string, defaultValue: T | null = null): Promise<string | T | null> {
    return this.#reply('get', defaultValue);
  }

  set(_key: string, _value: string | number, _options?: SetOptions): Promise<boolean> {
    return this.#reply('set', false);
  }

  exists(..._keys: string[]): Promise<number> {
    return this.#reply('exists', 0);
  }

  delete(..._keys: string[]): Promise<number> {
    return this.#reply('delete', 0);
  }

  incr(_key: string): Promise<number> {
    return this.#reply('incr', 0);
  }

  decr(_key: string): Promise<number> {
    return this.#reply('decr', 0);
  }

  sadd(_key: string, ..._members: string[]): Promise<number> {
    return this.#reply('sadd', 0);
  }

  srem(_key: string, ..._members: string[]): Promise<number> {
    return this.#reply('srem', 0);
  }

  smembers(_key: string): Promise<Set<string>> {
    return this.#reply('smembers', new Set());
  }

  scard(_key: string): Promise<number> {
    return this.#reply('scard', 0);
  }

  smismember(_key: string, members: readonly string[]): Promise<boolean[]> {
    return this.#reply(
      'smismember',
      members.map(() => false),
    );
  }

  xadd(_stream: string, _fields: Record<string, string>, _options?: XaddOptions): Promise<string> {
    return this.#reply('xadd', '');
  }

  async xread(_streams: Record<string, string>, options: XreadOptions = {}): Promise<StreamReadResult[]> {
    this.#checkOpen('xread');
    // Nothing ever arrives, so a blocking read waits its full block: a consumer loop must not spin.
    if (options.block !== undefined) await this.#waitOut(options.block);
    return [];
  }

  xrange(_stream: string, _options?: XrangeOptions): Promise<StreamEntry[]> {
    return this.#reply('xrange', []);
  }

  xrevrange(_stream: string, _options?: XrangeOptions): Promise<StreamEntry[]> {
    return this.#reply('xrevrange', []);
  }

  xlen(_stream: string): Promise<number> {
    return this.#reply('xlen', 0);
  }

  xdel(_stream: string, ..._ids: string[]): Promise<number> {
    return this.#reply('xdel', 0);
  }

  xinfoStream(_stream: string): Promise<StreamInfo | null> {
    return this.#reply('xinfoStream', null);
  }

  xtrim(_stream: string, _maxlen: number, _options?: XtrimOptions): Promise<number> {
    return this.#reply('xtrim', 0);
  }

  async ping(): Promise<boolean> {
    return !this.#closed;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const finish of this.#waiting) finish();
  }

  checkInclusionAndExclusion(_member: string, _group: string): Promise<boolean> {
    return this.#reply('checkInclusionAndExclusion', true);
  }

  createInclusionExclusionKeys(_group: string): Promise<void> {
    return this.#reply('createInclusionExclusionKeys', undefined);
  }

  async acquireLock(name: string, _options: AcquireLockOptions): Promise<RedisLock | null> {
    this.#checkOpen('acquireLock');
    throw new RedisConnectionError(
      `acquireLock("${name}") needs Redis, but this is the no-op client (Redis is not configured, or was ` +
        'not ready when the client was created), which cannot grant locks. Check client.isNoop before ' +
        'locking, or configure Redis (LETTA_REDIS_HOST).',
    );
  }

  acquireConversationLock(_conversationId: string, _token?: string): Promise<RedisLock | null> {
    return this.#reply('acquireConversationLock', null);
  }

  releaseConversationLock(_conversationId: string, _token: string): Promise<boolean> {
    return this.#reply('releaseConversationLock', false);
  }

  acquireMemoryRepoLock(_agentId: string, _token?: string): Promise<RedisLock | null> {
    return this.#reply('acquireMemoryRepoLock', null);
  }

  releaseMemoryRepoLock(_agentId: string, _token: string): Promise<boolean> {
    return this.#reply('releaseMemoryRepoLock', false);
  }

  async #reply<T>(method: string, value: T): Promise<T> {
    this.#checkOpen(method);
    return value;
  }

  setOtidRunMapping(otid: string, runId: string): Promise<boolean> {
    return setOtidRunMapping(this, otid, runId);
  }

  getRunIdByOtid(otid: string): Promise<string | null> {
    return getRunIdByOtid(this, otid);
  }

  hasStreamChunks(runId: string): Promise<boolean> {
    return hasStreamChunks(this, runId);
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
