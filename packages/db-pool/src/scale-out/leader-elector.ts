import { type Logger, parseDatabaseUri, type SecretLike, silentLogger } from '@letta/core';
import type { Engine } from '../engine/create-engine';
import { internalsOf } from '../engine/engine-internals';
import { duration } from '../options/option-checks';
import { AdvisoryLock, LETTA_SCHEDULER_LOCK_KEY } from './advisory-lock';
import { AdvisoryLockElection } from './advisory-lock-election';
import type { DemotionReason, LeaderElector } from './leader-election';
import { type SessionTarget, sessionTarget } from './session-connection';
import { SoleInstance } from './sole-instance';

/**
 * Where the election's lock connection goes: `{ engine }` connects where the engine's session-level work
 * does (its `directUri` when it has one; on SQLite the single instance leads at once), `{ uri }` to a
 * database URI of its own.
 */
export type LeaderElectorTarget<DB> =
  | { readonly engine: Engine<DB>; readonly uri?: never }
  | { readonly uri: string | SecretLike; readonly engine?: never };

/** How `createLeaderElector` campaigns; `leaderElectorOptionsFromSettings` gives `retryIntervalMs`. */
export interface LeaderElectorOptions {
  /** The advisory lock's 64-bit key. @default 0x12345678ABCDEF00n (the key of Letta's scheduler lock) */
  key?: bigint | number;
  /**
   * How often an instance that does not lead tries to take the lock.
   * @default 480000 (Letta's poll_lock_retry_interval_seconds; see `leaderElectorOptionsFromSettings`)
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
  /** Called when this instance stops leading; awaited by `close()`. */
  onDemoted?: (reason: DemotionReason) => void | Promise<void>;
  /** Defaults to the engine's logger, else silent. */
  logger?: Logger;
}

/** The settings `leaderElectorOptionsFromSettings` reads, by the names `@letta/settings` gives them. */
export interface LeaderElectorSettingsInput {
  readonly pollLockRetryIntervalSeconds: number;
}

/** `retryIntervalMs` from LETTA_POLL_LOCK_RETRY_INTERVAL_SECONDS. */
export function leaderElectorOptionsFromSettings(
  settings: LeaderElectorSettingsInput,
): LeaderElectorOptions & { retryIntervalMs: number } {
  return { retryIntervalMs: settings.pollLockRetryIntervalSeconds * 1000 };
}

const DEFAULT_RETRY_INTERVAL_MS = 480_000;
const DEFAULT_CHECK_INTERVAL_MS = 5_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

/**
 * Elects one leader among the instances that share a database, with a session-level advisory lock held
 * on a dedicated connection outside the pool for the whole leadership. Resolves after the first attempt
 * has taken the lock or found it held; a failure to connect is logged and retried every
 * `retryIntervalMs`. Rejects with `EngineOptionsError` when the connection goes through a pooler such as
 * PgBouncer.
 *
 * ```ts
 * const elector = await createLeaderElector({ engine }, { ...leaderElectorOptionsFromSettings(settings), onElected });
 * ```
 */
export async function createLeaderElector<DB>(
  target: LeaderElectorTarget<DB>,
  options: LeaderElectorOptions = {},
): Promise<LeaderElector> {
  const retryMs = duration('retryIntervalMs', options.retryIntervalMs ?? DEFAULT_RETRY_INTERVAL_MS);
  const checkMs = duration('checkIntervalMs', options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS);
  const lock = new AdvisoryLock(options.key ?? LETTA_SCHEDULER_LOCK_KEY);
  const { session, engineLogger } = lockTarget(target);
  const callbacks = {
    onElected: options.onElected,
    onDemoted: options.onDemoted,
    logger: options.logger ?? engineLogger ?? silentLogger,
  };
  if (session === undefined) return new SoleInstance(callbacks);
  const election = new AdvisoryLockElection(session, lock, retryMs, checkMs, callbacks);
  await election.firstAttempt();
  return election;
}

/** The session to lock on (none on SQLite) and the engine's logger, if an engine was given. */
function lockTarget<DB>(target: LeaderElectorTarget<DB>): {
  session: SessionTarget | undefined;
  engineLogger: Logger | undefined;
} {
  if (target.engine === undefined) {
    const uri = parseDatabaseUri(target.uri, { path: 'uri' });
    return { session: sessionTarget(uri, DEFAULT_CONNECT_TIMEOUT_MS, 'argument'), engineLogger: undefined };
  }
  const internals = internalsOf(target.engine, 'createLeaderElector');
  return { session: internals.postgres?.session, engineLogger: internals.logger };
}
