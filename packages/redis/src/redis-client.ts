/** Options of `set`: an expiry (`ex` seconds or `px` milliseconds) and a condition (`nx` or `xx`). */
export interface SetOptions {
  /** Expire after this many seconds (`SET … EX`). */
  ex?: number;
  /** Expire after this many milliseconds (`SET … PX`). */
  px?: number;
  /** Only set when the key does not exist (`SET … NX`). */
  nx?: boolean;
  /** Only set when the key already exists (`SET … XX`). */
  xx?: boolean;
}

/** One stream entry: its id and its field/value pairs. */
export interface StreamEntry {
  id: string;
  fields: Record<string, string>;
}

/** The entries `xread` returned for one stream. */
export interface StreamReadResult {
  stream: string;
  messages: StreamEntry[];
}

/** Options of `xadd`: the entry id and how to trim the stream. */
export interface XaddOptions {
  /** The entry id; `'*'` (the default) lets Redis choose one. */
  id?: string;
  /** Trim the stream to about (or, with `approximate: false`, exactly) this many entries. */
  maxlen?: number;
  /** Trim with `MAXLEN ~` (cheaper, may keep a few more entries). Default `true`, like Letta. */
  approximate?: boolean;
}

/** Options of `xread`: how many entries, and how long to wait for new ones. */
export interface XreadOptions {
  /** At most this many entries per stream. */
  count?: number;
  /**
   * Wait up to this many milliseconds for new entries (`0` waits until one arrives). Blocking reads run
   * on connections of their own, so they never hold up other commands.
   */
  block?: number;
}

/** Options of `xrange` and `xrevrange`: the id range and how many entries. */
export interface XrangeOptions {
  /** The lowest id to return; default `'-'` (the first entry). */
  start?: string;
  /** The highest id to return; default `'+'` (the last entry). */
  end?: string;
  /** At most this many entries. */
  count?: number;
}

/** Options of `xtrim`. */
export interface XtrimOptions {
  /** Trim with `MAXLEN ~` (cheaper, may keep a few more entries). Default `true`, like Letta. */
  approximate?: boolean;
}

/** `XINFO STREAM` as an object; the fields Redis 7 added are optional. */
export interface StreamInfo {
  length: number;
  radixTreeKeys: number;
  radixTreeNodes: number;
  lastGeneratedId: string;
  maxDeletedEntryId?: string;
  entriesAdded?: number;
  recordedFirstEntryId?: string;
  groups: number;
  firstEntry: StreamEntry | null;
  lastEntry: StreamEntry | null;
}

/** Options of `acquireLock`: the lifetime and the holder's token. */
export interface AcquireLockOptions {
  /** How long the lock lives unless extended or released, in milliseconds. */
  ttlMs: number;
  /** The holder's token; a random UUID when omitted. Only this token can release or extend the lock. */
  token?: string;
}

/** A held lock. `release` and `extend` act only while the lock still carries this handle's token. */
export interface RedisLock {
  readonly name: string;
  readonly token: string;
  /** Deletes the lock if this handle still holds it; `false` when it expired or another holder took it. */
  release(): Promise<boolean>;
  /** Sets the remaining lifetime to `ttlMs` if this handle still holds the lock; `false` otherwise. */
  extend(ttlMs: number): Promise<boolean>;
}

/**
 * Letta's Redis operations with typed, object-shaped results. Implemented by the ioredis client and by
 * the no-op client, which stores nothing; `isNoop` tells them apart.
 */
export interface RedisClient {
  /** `true` for the client that stores nothing (Redis not configured, or not ready at startup). */
  readonly isNoop: boolean;

  /** The string at `key`, or `defaultValue` (default `null`) when there is none. */
  get(key: string): Promise<string | null>;
  get<T>(key: string, defaultValue: T): Promise<string | T>;
  /** Sets `key`; `false` when `nx`/`xx` prevented the write. */
  set(key: string, value: string | number, options?: SetOptions): Promise<boolean>;
  /** How many of `keys` exist. */
  exists(...keys: string[]): Promise<number>;
  /** Deletes `keys`; how many existed. */
  delete(...keys: string[]): Promise<number>;
  incr(key: string): Promise<number>;
  decr(key: string): Promise<number>;

  /** Adds members to a set; how many were new. */
  sadd(key: string, ...members: string[]): Promise<number>;
  /** Removes members from a set; how many were there. */
  srem(key: string, ...members: string[]): Promise<number>;
  smembers(key: string): Promise<Set<string>>;
  scard(key: string): Promise<number>;
  /** Whether each of `members` is in the set, in order. */
  smismember(key: string, members: readonly string[]): Promise<boolean[]>;

  /** Appends an entry; its id. */
  xadd(stream: string, fields: Record<string, string>, options?: XaddOptions): Promise<string>;
  /** Entries after each stream's last seen id (`'$'` for only new ones); `[]` when there are none. */
  xread(streams: Record<string, string>, options?: XreadOptions): Promise<StreamReadResult[]>;
  /** Entries from oldest to newest. */
  xrange(stream: string, options?: XrangeOptions): Promise<StreamEntry[]>;
  /** Entries from newest to oldest. */
  xrevrange(stream: string, options?: XrangeOptions): Promise<StreamEntry[]>;
  xlen(stream: string): Promise<number>;
  /** Deletes entries by id; how many existed. */
  xdel(stream: string, ...ids: string[]): Promise<number>;
  /** Stream metadata, or `null` when the stream does not exist. */
  xinfoStream(stream: string): Promise<StreamInfo | null>;
  /** Trims the stream to `maxlen` entries; how many were removed. */
  xtrim(stream: string, maxlen: number, options?: XtrimOptions): Promise<number>;

  /** `true` when Redis answered; never throws. */
  ping(): Promise<boolean>;
  /** Closes the connections. Pending blocking reads resolve with `[]`; later calls reject. Idempotent. */
  close(): Promise<void>;

  /**
   * Whether `member` passes the allow/deny lists of `group` (`<group>:include`, `<group>:exclude`):
   * `false` when it is in the exclude set; otherwise, when the include set has members, whether it is in
   * it; otherwise `true`.
   */
  checkInclusionAndExclusion(member: string, group: string): Promise<boolean>;
  /** Creates the include and exclude sets of `group`, each holding only Letta's `"None"` placeholder. */
  createInclusionExclusionKeys(group: string): Promise<void>;

  /** Takes the lock `name` for `ttlMs`; `null` when someone else holds it. */
  acquireLock(name: string, options: AcquireLockOptions): Promise<RedisLock | null>;
  /**
   * Takes the 300 s lock of a conversation (`conversation:lock:<id>`). Throws `LockBusyError` with the
   * holder's token when it is taken; `null` on the no-op client, which does no locking.
   */
  acquireConversationLock(conversationId: string, token?: string): Promise<RedisLock | null>;
  /** Releases a conversation lock if `token` still holds it. */
  releaseConversationLock(conversationId: string, token: string): Promise<boolean>;
  /**
   * Takes the 60 s lock of an agent's memory repository (`memory_repo:lock:<agentId>`). Throws
   * `LockBusyError` with the holder's token when it is taken; `null` on the no-op client.
   */
  acquireMemoryRepoLock(agentId: string, token?: string): Promise<RedisLock | null>;
  /** Releases a memory-repository lock if `token` still holds it. */
  releaseMemoryRepoLock(agentId: string, token: string): Promise<boolean>;

  /** Remembers for 3 hours which run a message's `otid` started (`otid:run:<otid>`); `false` on the no-op client. */
  setOtidRunMapping(otid: string, runId: string): Promise<boolean>;
  /** The run a message's `otid` started, or `null`. */
  getRunIdByOtid(otid: string): Promise<string | null>;
  /** Whether a run's SSE stream (`sse:run:<runId>`) holds any entry. */
  hasStreamChunks(runId: string): Promise<boolean>;
}
