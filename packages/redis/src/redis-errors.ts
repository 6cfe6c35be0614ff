import { ConfigError, type ConfigIssue, LettaError } from '@letta/core';

/**
 * An option passed to `createRedisClient` (or a lock's `ttlMs`) is invalid. `issues` names each option
 * (`path`) and, where Letta's settings feed it, its environment variable (`envVar`).
 */
export class RedisOptionsError extends ConfigError {
  override readonly name = 'RedisOptionsError';
  readonly code = 'ERR_REDIS_OPTIONS';

  constructor(issues: readonly ConfigIssue[]) {
    super('Invalid Redis options', issues);
  }
}

/**
 * Redis could not be reached: not ready at startup, down while the client runs (the command was not
 * sent, or the connection dropped before its reply), or the client was closed. The no-op client also
 * throws it for the one thing it cannot pretend to do: grant a lock.
 */
export class RedisConnectionError extends LettaError {
  override readonly name = 'RedisConnectionError';
  readonly code = 'ERR_REDIS_CONNECTION';
  override readonly retryable = true;
}

/** A command got no reply within `commandTimeoutMs`. It may still run on the server. */
export class RedisTimeoutError extends LettaError {
  override readonly name = 'RedisTimeoutError';
  readonly code = 'ERR_REDIS_TIMEOUT';
  override readonly retryable = true;
  /** The Redis command, e.g. `GET`. */
  readonly command: string;
  readonly timeoutMs: number;

  constructor(message: string, command: string, timeoutMs: number, options?: ErrorOptions) {
    super(message, options);
    this.command = command;
    this.timeoutMs = timeoutMs;
  }
}

/** Which of Letta's locks is busy, named as Letta's error codes name it (both HTTP 409 in Letta). */
export type LockBusyReason = 'CONVERSATION_BUSY' | 'MEMORY_REPO_BUSY';

/**
 * A conversation or memory-repository lock is held by someone else; `holderToken` says who. Retryable:
 * the holder releases it, or it expires.
 */
export class LockBusyError extends LettaError {
  override readonly name = 'LockBusyError';
  readonly code = 'ERR_LOCK_BUSY';
  override readonly retryable = true;
  /** Letta's name for the condition: `CONVERSATION_BUSY` or `MEMORY_REPO_BUSY`. */
  readonly reason: LockBusyReason;
  /** The Redis key of the lock. */
  readonly lockName: string;
  /** The token of the current holder, read in the same atomic step as the failed attempt. */
  readonly holderToken: string;

  constructor(message: string, reason: LockBusyReason, lockName: string, holderToken: string) {
    super(message);
    this.reason = reason;
    this.lockName = lockName;
    this.holderToken = holderToken;
  }
}

/**
 * A lock write that fewer than `lockReplicas` replicas acknowledged within `lockReplicaTimeoutMs`, so a
 * failover could lose it. A refused acquisition has been undone: the lock is not held. A refused
 * extension still holds on the primary, but after a failover the lock may expire at its old deadline.
 * Retryable: the replicas may catch up.
 */
export class LockReplicationError extends LettaError {
  override readonly name = 'LockReplicationError';
  readonly code = 'ERR_LOCK_REPLICATION';
  override readonly retryable = true;
  /** The Redis key of the lock. */
  readonly lockName: string;
  /** How many replicas acknowledged the write in time. */
  readonly acknowledged: number;
  /** How many were required (`lockReplicas`). */
  readonly required: number;

  constructor(message: string, lockName: string, acknowledged: number, required: number) {
    super(message);
    this.lockName = lockName;
    this.acknowledged = acknowledged;
    this.required = required;
  }
}
