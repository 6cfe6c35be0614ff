import { createHash } from 'node:crypto';
import type { RedisConnection } from './ioredis-connection';
import type { RedisLock } from './redis-client';
import { LockBusyError, type LockBusyReason, LockReplicationError, RedisOptionsError } from './redis-errors';

/** A Lua script and its SHA1, for `EVALSHA` with an `EVAL` fallback. */
export interface LockScript {
  readonly lua: string;
  readonly sha: string;
}

function script(lua: string): LockScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/** Takes the lock; returns nil when taken, else the current holder's token (read atomically). */
export const ACQUIRE_SCRIPT = script(
  "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end " +
    "return redis.call('GET', KEYS[1])",
);

/** Deletes the lock only while it holds the caller's token. */
export const RELEASE_SCRIPT = script(
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
);

/** Resets the lock's lifetime only while it holds the caller's token. */
export const EXTEND_SCRIPT = script(
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0",
);

type Arg = string | number;

/** Runs `script` on `key` through `send`: by its SHA1, and by its text when the server does not have it. */
export async function evalScript<T>(
  script: LockScript,
  key: string,
  args: readonly Arg[],
  send: (command: Arg[]) => Promise<T>,
): Promise<T> {
  try {
    return await send(['evalsha', script.sha, 1, key, ...args]);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return send(['eval', script.lua, 1, key, ...args]);
  }
}

/** A lock script's reply, and how many replicas acknowledged its write. */
export interface ReplicatedReply {
  reply: unknown;
  acknowledged: number;
}

/**
 * Sends `command`, then `WAIT replicas timeoutMs`, in one pipeline: `WAIT` counts the replicas that have
 * the writes of its own connection, and a cluster sends the pipeline to the node of the lock's slot.
 */
export async function sendAndWait(
  connection: RedisConnection,
  command: Arg[],
  replicas: number,
  timeoutMs: number,
): Promise<ReplicatedReply> {
  // A pipeline, unlike a transaction, always resolves with one [error, reply] pair per command.
  const results = await connection.pipeline([command, ['wait', replicas, timeoutMs]]).exec();
  const [[sendError, reply], [waitError, acknowledged]] = results as [
    [Error | null, unknown],
    [Error | null, unknown],
  ];
  if (sendError) throw sendError;
  if (waitError) throw waitError;
  return { reply, acknowledged: acknowledged as number };
}

export function lockReplicationError(
  write: 'acquire' | 'extend',
  name: string,
  acknowledged: number,
  required: number,
  timeoutMs: number,
): LockReplicationError {
  const outcome =
    write === 'acquire'
      ? 'so it was released again and is not granted'
      : 'so it holds on the primary, but after a failover the lock may expire at its previous deadline';
  return new LockReplicationError(
    `Lock ${name} was written, but ${acknowledged} of the ${required} replica(s) required (lockReplicas) ` +
      `acknowledged the ${write === 'acquire' ? 'lock' : 'extension'} within ${timeoutMs} ms ` +
      `(lockReplicaTimeoutMs), ${outcome}. Check the replicas (INFO replication), raise ` +
      'lockReplicaTimeoutMs, or set lockReplicas: 0 to accept locks that only the primary holds.',
    name,
    acknowledged,
    required,
  );
}

/** What a lock handle needs from the client that made it. */
export interface LockCommands {
  release(name: string, token: string): Promise<boolean>;
  extend(name: string, token: string, ttlMs: number): Promise<boolean>;
}

export class TokenLock implements RedisLock {
  readonly name: string;
  readonly token: string;
  readonly #commands: LockCommands;

  constructor(name: string, token: string, commands: LockCommands) {
    this.name = name;
    this.token = token;
    this.#commands = commands;
  }

  release(): Promise<boolean> {
    return this.#commands.release(this.name, this.token);
  }

  async extend(ttlMs: number): Promise<boolean> {
    checkTtl('extend', ttlMs);
    return this.#commands.extend(this.name, this.token, ttlMs);
  }
}

/** One of Letta's named locks: its key prefix, lifetime and busy error. */
export interface LockKind {
  readonly prefix: string;
  readonly ttlMs: number;
  readonly reason: LockBusyReason;
  describe(id: string): string;
}

export const CONVERSATION_LOCK: LockKind = {
  prefix: 'conversation:lock:',
  ttlMs: 300_000,
  reason: 'CONVERSATION_BUSY',
  describe: (id) => `Conversation ${id} is busy: another request is being processed for it`,
};

export const MEMORY_REPO_LOCK: LockKind = {
  prefix: 'memory_repo:lock:',
  ttlMs: 60_000,
  reason: 'MEMORY_REPO_BUSY',
  describe: (id) => `The memory repository of agent ${id} is busy: another operation is writing to it`,
};

export function lockBusyError(kind: LockKind, id: string, holderToken: string): LockBusyError {
  const seconds = kind.ttlMs / 1_000;
  return new LockBusyError(
    `${kind.describe(id)} (lock ${kind.prefix}${id}, held for at most ${seconds} s). ` +
      'Wait for it to finish and try again.',
    kind.reason,
    `${kind.prefix}${id}`,
    holderToken,
  );
}

export function checkTtl(method: string, ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs < 1) {
    throw new RedisOptionsError([
      {
        path: 'ttlMs',
        message:
          `The ${method} option ttlMs must be a positive integer number of milliseconds, but found ${ttlMs}. ` +
          'Pass the lock lifetime in whole milliseconds.',
      },
    ]);
  }
}
