/** An option passed to `createRedisClient` (or read from settings) is invalid. */
export class RedisOptionsError extends Error {
  override readonly name = 'RedisOptionsError';
}

/**
 * Redis could not be reached: not ready at startup, down while the client runs (the command was not
 * sent, or the connection dropped before its reply), or the client was closed. The no-op client also
 * throws it for the one thing it cannot pretend to do: grant a lock.
 */
export class RedisConnectionError extends Error {
  override readonly name = 'RedisConnectionError';
}

/** A command got no reply within `commandTimeoutMs`. It may still run on the server. */
export class RedisTimeoutError extends Error {
  override readonly name = 'RedisTimeoutError';
  /** The Redis command, e.g. `GET`. */
  readonly command: string;
  readonly timeoutMs: number;

  constructor(message: string, command: string, timeoutMs: number, options?: ErrorOptions) {
    super(message, options);
    this.command = command;
    this.timeoutMs = timeoutMs;
  }
}

export type LockBusyCode = 'CONVERSATION_BUSY' | 'MEMORY_REPO_BUSY';

/** A conversation or memory-repository lock is held by someone else; `holderToken` says who. */
export class LockBusyError extends Error {
  override readonly name = 'LockBusyError';
  /** Letta's error code: `CONVERSATION_BUSY` or `MEMORY_REPO_BUSY` (both HTTP 409 in Letta). */
  readonly code: LockBusyCode;
  /** The Redis key of the lock. */
  readonly lockName: string;
  /** The token of the current holder, read in the same atomic step as the failed attempt. */
  readonly holderToken: string;

  constructor(message: string, code: LockBusyCode, lockName: string, holderToken: string) {
    super(message);
    this.code = code;
    this.lockName = lockName;
    this.holderToken = holderToken;
  }
}

/**
 * A lock write that fewer than `lockReplicas` replicas acknowledged within `lockReplicaTimeoutMs`, so a
 * failover could lose it. A refused acquisition has been undone: the lock is not held. A refused
 * extension still holds on the primary, but after a failover the lock may expire at its old deadline.
 */
export class LockReplicationError extends Error {
  override readonly name = 'LockReplicationError';
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
