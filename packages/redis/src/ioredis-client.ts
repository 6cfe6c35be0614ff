import { randomUUID } from 'node:crypto';
import type { Logger } from '@letta/core';
import { BlockingConnections } from './blocking-connections';
import { CommandDeadlines } from './command-deadlines';
import { CommandRunner, type Operation, type OperationName } from './command-runner';
import type { CommandTracing } from './command-tracing';
import type { ConnectionWatch } from './connection-watch';
import { inclusionKeys, isAllowed, LIST_PLACEHOLDER } from './inclusion-lists';
import { type ConnectionOptions, openConnection, type RedisConnection } from './ioredis-connection';
import { LockWriter } from './lock-writer';
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
import {
  CONVERSATION_LOCK,
  checkTtl,
  type LockKind,
  lockBusyError,
  MEMORY_REPO_LOCK,
  TokenLock,
} from './redis-locks';
import type { RedisMetrics } from './redis-metrics';
import { getRunIdByOtid, hasStreamChunks, setOtidRunMapping } from './run-keys';
import {
  type RawStreamEntry,
  type RawStreamRead,
  toEntries,
  toReadResults,
  toStreamInfo,
} from './stream-replies';

type Arg = string | number;

/**
 * The Redis-backed `RedisClient`, on one server, the primary Sentinels name, or a cluster: one
 * multiplexed command connection plus connections for blocking calls.
 */
export class IoredisClient implements RedisClient {
  readonly isNoop = false;
  readonly #connection: RedisConnection;
  readonly #options: ConnectionOptions;
  readonly #runner: CommandRunner;
  readonly #deadlines: CommandDeadlines;
  readonly #ops: Readonly<Record<OperationName, Operation>>;
  readonly #blocking: BlockingConnections;
  readonly #metrics: RedisMetrics | null;
  readonly #watch: ConnectionWatch;
  readonly #logger: Logger;
  readonly #locks: LockWriter;
  // A cluster rejects multi-key commands whose keys live in different slots; send those key by key.
  readonly #keyByKey: boolean;
  #closing: Promise<void> | null = null;

  constructor(
    connection: RedisConnection,
    options: ConnectionOptions,
    watch: ConnectionWatch,
    metrics: RedisMetrics | null,
    logger: Logger,
    tracing: CommandTracing | null = null,
  ) {
    this.#connection = connection;
    this.#options = options;
    this.#watch = watch;
    this.#metrics = metrics;
    this.#logger = logger;
    this.#keyByKey = options.topology.kind === 'cluster';
    this.#deadlines = new CommandDeadlines(connection, options.commandTimeoutMs);
    this.#runner = new CommandRunner(options, metrics, logger, tracing);
    this.#ops = this.#runner.operations;
    this.#blocking = new BlockingConnections(
      () => openConnection(options),
      options.maxBlockingConnections,
      logger,
    );
    this.#locks = new LockWriter(connection, this.#blocking, this.#runner, options, logger);
  }

  get(key: string): Promise<string | null>;
  get<T>(key: string, defaultValue: T): Promise<string | T>;
  get<T>(key: string, defaultValue: T | null = null): Promise<string | T | null> {
    const send = () => this.#connection.get(key);
    if (defaultValue === null) return this.#runner.run(this.#ops.get, send);
    return this.#runner.run(this.#ops.get, send, (value) => value ?? defaultValue);
  }

  set(key: string, value: string | number, options?: SetOptions): Promise<boolean> {
    const args: Arg[] = [key, value];
    if (options) {
      if (options.ex !== undefined) args.push('EX', options.ex);
      if (options.px !== undefined) args.push('PX', options.px);
      if (options.nx) args.push('NX');
      if (options.xx) args.push('XX');
    }
    return this.#runner.run(this.#ops.set, () => this.#connection.call('SET', args), isOk);
  }

  exists(...keys: string[]): Promise<number> {
    if (keys.length === 0) return Promise.resolve(0);
    return this.#runner.run(this.#ops.exists, () =>
      this.#keyByKey ? sum(keys, (key) => this.#connection.exists(key)) : this.#connection.exists(...keys),
    );
  }

  delete(...keys: string[]): Promise<number> {
    if (keys.length === 0) return Promise.resolve(0);
    return this.#runner.run(this.#ops.delete, () =>
      this.#keyByKey ? sum(keys, (key) => this.#connection.del(key)) : this.#connection.del(...keys),
    );
  }

  incr(key: string): Promise<number> {
    return this.#runner.run(this.#ops.incr, () => this.#connection.incr(key));
  }

  decr(key: string): Promise<number> {
    return this.#runner.run(this.#ops.decr, () => this.#connection.decr(key));
  }

  sadd(key: string, ...members: string[]): Promise<number> {
    if (members.length === 0) return Promise.resolve(0);
    return this.#runner.run(this.#ops.sadd, () => this.#connection.sadd(key, ...members));
  }

  srem(key: string, ...members: string[]): Promise<number> {
    if (members.length === 0) return Promise.resolve(0);
    return this.#runner.run(this.#ops.srem, () => this.#connection.srem(key, ...members));
  }

  smembers(key: string): Promise<Set<string>> {
    return this.#runner.run(this.#ops.smembers, () => this.#connection.smembers(key), toSet);
  }

  scard(key: string): Promise<number> {
    return this.#runner.run(this.#ops.scard, () => this.#connection.scard(key));
  }

  smismember(key: string, members: readonly string[]): Promise<boolean[]> {
    if (members.length === 0) return Promise.resolve([]);
    return this.#runner.run(
      this.#ops.smismember,
      () => this.#connection.smismember(key, ...members),
      (hits) => hits.map((hit) => hit === 1),
    );
  }

  async xadd(stream: string, fields: Record<string, string>, options: XaddOptions = {}): Promise<string> {
    const args: Arg[] = [stream];
    if (options.maxlen !== undefined) {
      args.push('MAXLEN', options.approximate === false ? '=' : '~', options.maxlen);
    }
    args.push(options.id ?? '*');
    for (const name in fields) args.push(name, fields[name] as string);
    return (await this.#runner.run(this.#ops.xadd, () => this.#connection.call('XADD', args))) as string;
  }

  async xread(streams: Record<string, string>, options: XreadOptions = {}): Promise<StreamReadResult[]> {
    const names = Object.keys(streams);
    if (names.length === 0) return [];
    const args: Arg[] = [];
    if (options.count !== undefined) args.push('COUNT', options.count);
    const { block } = options;
    if (block !== undefined) args.push('BLOCK', block);
    args.push('STREAMS', ...names, ...names.map((name) => streams[name] as string));
    if (block === undefined) {
      const raw = await this.#runner.run(this.#ops.xread, () => this.#connection.call('XREAD', args));
      return toReadResults(raw as RawStreamRead);
    }
    return this.#blockingRead(args, block);
  }

  async xrange(stream: string, options: XrangeOptions = {}): Promise<StreamEntry[]> {
    const args = withCount([stream, options.start ?? '-', options.end ?? '+'], options.count);
    const raw = await this.#runner.run(this.#ops.xrange, () => this.#connection.call('XRANGE', args));
    return toEntries(raw as RawStreamEntry[]);
  }

  async xrevrange(stream: string, options: XrangeOptions = {}): Promise<StreamEntry[]> {
    const args = withCount([stream, options.end ?? '+', options.start ?? '-'], options.count);
    const raw = await this.#runner.run(this.#ops.xrevrange, () => this.#connection.call('XREVRANGE', args));
    return toEntries(raw as RawStreamEntry[]);
  }

  xlen(stream: string): Promise<number> {
    return this.#runner.run(this.#ops.xlen, () => this.#connection.xlen(stream));
  }

  xdel(stream: string, ...ids: string[]): Promise<number> {
    if (ids.length === 0) return Promise.resolve(0);
    return this.#runner.run(this.#ops.xdel, () => this.#connection.xdel(stream, ...ids));
  }

  async xinfoStream(stream: string): Promise<StreamInfo | null> {
    const raw = await this.#runner.run(this.#ops.xinfoStream, () =>
      this.#connection.call('XINFO', 'STREAM', stream).catch((error: unknown) => {
        if (error instanceof Error && error.message.includes('no such key')) return null;
        throw error;
      }),
    );
    return raw === null ? null : toStreamInfo(raw as unknown[]);
  }

  async xtrim(stream: string, maxlen: number, options: XtrimOptions = {}): Promise<number> {
    const approximate = options.approximate === false ? '=' : '~';
    const removed = await this.#runner.run(this.#ops.xtrim, () =>
      this.#connection.call('XTRIM', stream, 'MAXLEN', approximate, maxlen),
    );
    return removed as number;
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.#runner.run(this.#ops.ping, () => this.#connection.ping())) === 'PONG';
    } catch (error) {
      this.#logger.debug({ error: (error as Error).message }, 'Redis ping failed');
      return false;
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#closeConnections();
    return this.#closing;
  }

  async checkInclusionAndExclusion(member: string, group: string): Promise<boolean> {
    const { include, exclude } = inclusionKeys(group);
    const [excluded, includeSize, includeHolds] = await Promise.all([
      this.smismember(exclude, [member]),
      this.scard(include),
      this.smismember(include, [LIST_PLACEHOLDER, member]),
    ]);
    return isAllowed(member, {
      excluded: excluded[0] === true,
      includeSize,
      includeHoldsPlaceholder: includeHolds[0] === true,
      included: includeHolds[1] === true,
    });
  }

  async createInclusionExclusionKeys(group: string): Promise<void> {
    const { include, exclude } = inclusionKeys(group);
    await Promise.all([this.sadd(include, LIST_PLACEHOLDER), this.sadd(exclude, LIST_PLACEHOLDER)]);
  }

  async acquireLock(name: string, options: AcquireLockOptions): Promise<RedisLock | null> {
    checkTtl('acquireLock', options.ttlMs);
    const token = options.token ?? randomUUID();
    const holder = await this.#locks.acquire(name, token, options.ttlMs);
    return holder === null ? new TokenLock(name, token, this.#locks) : null;
  }

  acquireConversationLock(conversationId: string, token?: string): Promise<RedisLock> {
    return this.#acquireNamed(CONVERSATION_LOCK, conversationId, token);
  }

  releaseConversationLock(conversationId: string, token: string): Promise<boolean> {
    return this.#locks.release(CONVERSATION_LOCK.prefix + conversationId, token);
  }

  acquireMemoryRepoLock(agentId: string, token?: string): Promise<RedisLock> {
    return this.#acquireNamed(MEMORY_REPO_LOCK, agentId, token);
  }

  releaseMemoryRepoLock(agentId: string, token: string): Promise<boolean> {
    return this.#locks.release(MEMORY_REPO_LOCK.prefix + agentId, token);
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

  async #blockingRead(args: Arg[], block: number): Promise<StreamReadResult[]> {
    const ms = block + this.#options.commandTimeoutMs;
    const deadline =
      block === 0
        ? null
        : {
            ms,
            command: 'XREAD',
            describe: () =>
              `Redis XREAD BLOCK ${block} got no reply from ${this.#options.topology.where} within ${ms} ms ` +
              '(block plus commandTimeoutMs). Check that the server is reachable and not overloaded.',
          };
    const closedBefore = this.#runner.closed;
    try {
      const raw = await this.#runner.run(this.#ops.xreadBlocking, () =>
        this.#blocking.use((connection) => connection.call('XREAD', args), deadline),
      );
      return toReadResults(raw as RawStreamRead);
    } catch (error) {
      // close() ends waiting reads the way an empty block ends: nothing arrived.
      if (!closedBefore && this.#runner.closed) return [];
      throw error;
    }
  }

  async #acquireNamed(kind: LockKind, id: string, token: string = randomUUID()): Promise<RedisLock> {
    const name = kind.prefix + id;
    const holder = await this.#locks.acquire(name, token, kind.ttlMs);
    if (holder !== null) throw lockBusyError(kind, id, holder);
    return new TokenLock(name, token, this.#locks);
  }

  async #closeConnections(): Promise<void> {
    this.#runner.close();
    this.#deadlines.close();
    this.#watch.close();
    this.#metrics?.close();
    this.#blocking.closeAll();
    try {
      await this.#connection.quit();
    } catch {
      this.#connection.disconnect();
    }
  }
}

async function sum(keys: readonly string[], count: (key: string) => Promise<number>): Promise<number> {
  const counts = await Promise.all(keys.map(count));
  return counts.reduce((total, n) => total + n, 0);
}

function isOk(reply: unknown): boolean {
  return reply === 'OK';
}

function toSet(members: string[]): Set<string> {
  return new Set(members);
}

function withCount(args: Arg[], count: number | undefined): Arg[] {
  if (count !== undefined) args.push('COUNT', count);
  return args;
}
