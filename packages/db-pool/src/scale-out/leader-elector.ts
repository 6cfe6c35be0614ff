import type { Engine } from '../engine/create-engine';
import { internalsOf } from '../engine/engine-internals';
import { type Logger, silentLogger } from '../logger';
import { duration } from '../pool/option-checks';
import type { SecretLike } from '../secret';
import { parseDatabaseUri } from '../uri/database-uri';
import { AdvisoryLock, LETTA_SCHEDULER_LOCK_KEY } from './advisory-lock';
import { AdvisoryLockElection, type Callbacks, runCallback } from './advisory-lock-election';
import { type SessionTarget, sessionTarget } from './session-connection';

/** Why a leader stopped leading. */
export type DemotionReason =
  /** The lock connection closed or failed: the server ended the session, so the lock is gone. */
  | 'connection_lost'
  /** A check found the lock missing, or did not answer within half the check interval. */
  | 'check_failed'
  /** `stop()` was called. */
  | 'stopped';

export interface LeaderElectorOptions {
  /** The advisory lock's 64-bit key. @default 0x12345678ABCDEF00n (the key of Letta's scheduler lock) */
  key?: bigint | number;
  /**
   * How often an instance that does not lead tries to take the lock.
   * @default 480000 (Letta's poll_lock_retry_interval_seconds; see `leaderElectorFromSettings`)
   */
  retryIntervalMs?: number;
  /**
   * How often the leader confirms that its session still holds the lock. A check that fails, or does not
   * answer within half this interval, demotes it; a new leader waits twice this interval before
   * `onElected`, so a leader that lost its lock has stepped down first. @default 5000
   */
  checkIntervalMs?: number;
  /** Called when this instance becomes the leader; `signal` aborts when it stops leading. */
  onElected?: (signal: AbortSignal) => void | Promise<void>;
  /** Called when this instance stops leading; awaited by `stop()`. */
  onDemoted?: (reason: DemotionReason) => void | Promise<void>;
  /** Defaults to the engine's logger, else silent. */
  logger?: Logger;
}

/** One instance's part in the election. */
export interface LeaderElector {
  readonly isLeader: boolean;
  /**
   * Stops campaigning. A leader calls `onDemoted('stopped')` and waits for it, then releases the lock
   * and closes its connection. Safe to call more than once.
   */
  stop(): Promise<void>;
}

/** The elector options Letta settings stand for. */
export interface LeaderElectorSettingsSource {
  readonly pollLockRetryIntervalSeconds: number;
}

/** `retryIntervalMs` from LETTA_POLL_LOCK_RETRY_INTERVAL_SECONDS. */
export function leaderElectorFromSettings(settings: LeaderElectorSettingsSource): {
  retryIntervalMs: number;
} {
  return { retryIntervalMs: settings.pollLockRetryIntervalSeconds * 1000 };
}

const DEFAULT_RETRY_INTERVAL_MS = 480_000;
const DEFAULT_CHECK_INTERVAL_MS = 5_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

/** SQLite runs as one instance, which leads from the start. */
class SoleInstance implements LeaderElector {
  readonly #callbacks: Callbacks;
  readonly #term = new AbortController();
  #stopping: Promise<void> | undefined;

  constructor(callbacks: Callbacks) {
    this.#callbacks = callbacks;
    callbacks.logger.info({}, 'leader elected: SQLite has a single instance');
    void runCallback(callbacks.logger, 'onElected', callbacks.onElected, this.#term.signal);
  }

  get isLeader(): boolean {
    return this.#stopping === undefined;
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#term.abort();
      await runCallback(this.#callbacks.logger, 'onDemoted', this.#callbacks.onDemoted, 'stopped' as const);
    })();
    return this.#stopping;
  }
}

/**
 * Elects one leader among the instances that share a database, with a session-level advisory lock held
 * on a dedicated connection outside the pool for the whole leadership (to the engine's `directUri` when it
 * has one). Resolves after the first attempt has taken the lock or found it held; a failure to connect is
 * logged and retried every `retryIntervalMs`. Rejects with `InvalidOptionError` when the connection goes
 * through a pooler such as PgBouncer. On SQLite the single instance leads at once.
 */
export async function createLeaderElector<DB>(
  source: Engine<DB> | string | SecretLike,
  options: LeaderElectorOptions = {},
): Promise<LeaderElector> {
  const retryMs = duration('retryIntervalMs', options.retryIntervalMs ?? DEFAULT_RETRY_INTERVAL_MS);
  const checkMs = duration('checkIntervalMs', options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS);
  const lock = new AdvisoryLock(options.key ?? LETTA_SCHEDULER_LOCK_KEY);
  let target: SessionTarget | undefined;
  let logger = options.logger;
  if (typeof source === 'string' || !('kind' in source)) {
    target = sessionTarget(parseDatabaseUri(source), DEFAULT_CONNECT_TIMEOUT_MS, 'argument');
  } else {
    const internals = internalsOf(source, 'createLeaderElector');
    logger ??= internals.logger;
    target = internals.postgres?.session;
  }
  const callbacks = {
    onElected: options.onElected,
    onDemoted: options.onDemoted,
    logger: logger ?? silentLogger,
  };
  if (target === undefined) return new SoleInstance(callbacks);
  const election = new AdvisoryLockElection(target, lock, retryMs, checkMs, callbacks);
  await election.attempt(true);
  return election;
}
