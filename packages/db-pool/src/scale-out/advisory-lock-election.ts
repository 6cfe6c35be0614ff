import type pg from 'pg';
import { EngineOptionsError } from '../options/engine-options-error';
import { errorType, isConnectionFailure } from '../pool/connection-failure';
import { endPgClient } from '../pool/pg-client';
import type { AdvisoryLock } from './advisory-lock';
import {
  type DemotionReason,
  type ElectionCallbacks,
  type LeaderElector,
  runCallback,
} from './leader-election';
import { openSession, type SessionOrigin, type SessionTarget, throughPooler } from './session-connection';

type State = 'follower' | 'candidate' | 'leader' | 'stopped';

/**
 * The Postgres election: a session-level advisory lock, taken with a try-lock on a connection of its own
 * and held on it for the whole leadership. Followers connect for each attempt and close again.
 */
export class AdvisoryLockElection implements LeaderElector {
  readonly #target: SessionTarget;
  readonly #lock: AdvisoryLock;
  readonly #retryMs: number;
  readonly #checkMs: number;
  readonly #callbacks: ElectionCallbacks;
  #state: State = 'follower';
  #client: pg.Client | undefined;
  #term: AbortController | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #checkTimer: NodeJS.Timeout | undefined;
  #takeoverTimer: NodeJS.Timeout | undefined;
  #attempt: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(
    target: SessionTarget,
    lock: AdvisoryLock,
    retryMs: number,
    checkMs: number,
    callbacks: ElectionCallbacks,
  ) {
    this.#target = target;
    this.#lock = lock;
    this.#retryMs = retryMs;
    this.#checkMs = checkMs;
    this.#callbacks = callbacks;
  }

  get isLeader(): boolean {
    return this.#state === 'leader';
  }

  /** The first attempt: a pooler in the way rejects with `EngineOptionsError`; any other failure is retried later. */
  firstAttempt(): Promise<void> {
    return this.#track(this.#tryToLead());
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** A later attempt: every failure, a pooler in the way included, is logged and retried later. */
  #retry(): void {
    const attempt = this.#tryToLead().catch((error: unknown) => {
      this.#callbacks.logger.error({ target: this.#target.target }, (error as Error).message);
      this.#retryLater();
    });
    void this.#track(attempt);
  }

  #track(attempt: Promise<void>): Promise<void> {
    this.#attempt = attempt.finally(() => {
      this.#attempt = undefined;
    });
    return this.#attempt;
  }

  /** Connects and tries the lock; rejects only when a pooler is in the way (without scheduling a retry). */
  async #tryToLead(): Promise<void> {
    const { logger } = this.#callbacks;
    let opened: pg.Client | undefined;
    let kept = false;
    try {
      opened = await openSession(this.#target, (error) => this.#connectionLost(opened, error));
      if (this.#state === 'stopped') return;
      if (await throughPooler(opened)) throw poolerError(this.#target);
      if (!(await this.#lock.tryAcquire(opened))) {
        logger.debug({ key: String(this.#lock.key) }, 'the leader lock is held by another instance');
      } else if (this.#state === 'follower') {
        this.#client = opened;
        kept = true;
        this.#becomeCandidate();
        return;
      }
    } catch (error) {
      if (error instanceof EngineOptionsError) throw error;
      logger.warn(
        { target: this.#target.target, errorType: errorType(error) },
        'leader election attempt failed',
      );
    } finally {
      if (opened && !kept) void endPgClient(opened);
    }
    this.#retryLater();
  }

  /** Holds the lock for two check intervals before leading, checking it meanwhile. */
  #becomeCandidate(): void {
    this.#state = 'candidate';
    this.#scheduleCheck();
    this.#takeoverTimer = setTimeout(() => {
      if (this.#state === 'candidate') this.#lead();
    }, 2 * this.#checkMs);
  }

  #lead(): void {
    this.#state = 'leader';
    this.#term = new AbortController();
    this.#callbacks.logger.info({ key: String(this.#lock.key) }, 'leader elected');
    void runCallback(this.#callbacks.logger, 'onElected', this.#callbacks.onElected, this.#term.signal);
  }

  #scheduleCheck(): void {
    this.#checkTimer = setTimeout(() => void this.#check(), this.#checkMs);
  }

  async #check(): Promise<void> {
    const client = this.#client;
    if (client === undefined) return;
    let held = false;
    let reason: DemotionReason = 'check_failed';
    try {
      held = await this.#lock.isHeld(client, this.#checkMs / 2);
    } catch (error) {
      this.#callbacks.logger.warn({ errorType: errorType(error) }, 'leader lock check failed');
      // A check in flight when the session ends fails before the connection reports the loss itself.
      if (isConnectionFailure(error)) reason = 'connection_lost';
    }
    if (client !== this.#client) return;
    if (held) this.#scheduleCheck();
    else this.#lose(reason);
  }

  #connectionLost(client: pg.Client | undefined, error: Error): void {
    if (client === undefined || client !== this.#client) return;
    this.#callbacks.logger.warn({ errorType: errorType(error) }, 'leader lock connection lost');
    this.#lose('connection_lost');
  }

  /** Gives the lock up (closing the connection ends the session, which releases it) and retries later. */
  #lose(reason: DemotionReason): void {
    if (this.#state === 'stopped') return;
    const wasLeader = this.#state === 'leader';
    this.#state = 'follower';
    this.#closeLockConnection();
    if (wasLeader) {
      this.#callbacks.logger.warn({ reason }, 'leadership lost');
      void runCallback(this.#callbacks.logger, 'onDemoted', this.#callbacks.onDemoted, reason);
    }
    this.#retryLater();
  }

  #closeLockConnection(): void {
    const client = this.#takeLockConnection();
    if (client) void endPgClient(client);
  }

  /** Stops the checks and the term, and takes the lock connection out of the election's hands. */
  #takeLockConnection(): pg.Client | undefined {
    clearTimeout(this.#checkTimer);
    clearTimeout(this.#takeoverTimer);
    this.#term?.abort();
    this.#term = undefined;
    const client = this.#client;
    this.#client = undefined;
    return client;
  }

  #retryLater(): void {
    if (this.#state === 'stopped') return;
    this.#retryTimer = setTimeout(() => this.#retry(), this.#retryMs);
  }

  async #close(): Promise<void> {
    const wasLeader = this.#state === 'leader';
    this.#state = 'stopped';
    clearTimeout(this.#retryTimer);
    const client = this.#takeLockConnection();
    if (wasLeader)
      await runCallback(this.#callbacks.logger, 'onDemoted', this.#callbacks.onDemoted, 'stopped');
    if (client) {
      await this.#lock.release(client).catch(() => {});
      await endPgClient(client);
    }
    await this.#attempt;
  }
}

const ORIGIN: Record<SessionOrigin, string> = {
  uri: "the engine's URI (LETTA_PG_URI)",
  directUri: 'directUri (LETTA_PG_DIRECT_URI)',
  argument: 'the uri passed to createLeaderElector',
};

function poolerError(target: SessionTarget): EngineOptionsError {
  const which = ORIGIN[target.origin];
  const message =
    `The leader elector's connection to ${target.target}, through ${which}, reaches PostgreSQL through a ` +
    'connection pooler such as PgBouncer (the backend pid differs from the one announced at connect). ' +
    'A session-level advisory lock does not stay with a session under transaction pooling, so two ' +
    'instances could both lead. Set directUri (LETTA_PG_DIRECT_URI) to a URI that reaches PostgreSQL ' +
    'directly, bypassing the pooler.';
  return new EngineOptionsError([{ path: 'directUri', envVar: 'LETTA_PG_DIRECT_URI', message }]);
}
