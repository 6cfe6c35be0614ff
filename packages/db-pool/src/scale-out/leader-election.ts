import type { Logger } from '@letta/core';
import { errorType } from '../pool/connection-failure';

/** Why a leader stopped leading. */
export type DemotionReason =
  /** The lock connection closed or failed: the server ended the session, so the lock is gone. */
  | 'connection_lost'
  /** A check found the lock missing, or did not answer within half the check interval. */
  | 'check_failed'
  /** `close()` was called. */
  | 'stopped';

/** One instance's part in the election. */
export interface LeaderElector {
  readonly isLeader: boolean;
  /**
   * Stops campaigning. A leader calls `onDemoted('stopped')` and waits for it, then releases the lock
   * and closes its connection. Safe to call more than once.
   */
  close(): Promise<void>;
}

/** The application's callbacks and the logger an election reports to. */
export interface ElectionCallbacks {
  readonly onElected: ((signal: AbortSignal) => void | Promise<void>) | undefined;
  readonly onDemoted: ((reason: DemotionReason) => void | Promise<void>) | undefined;
  readonly logger: Logger;
}

/** Runs a callback, logging (never throwing) what it throws or rejects with. */
export async function runCallback<A>(
  logger: Logger,
  name: string,
  callback: ((arg: A) => void | Promise<void>) | undefined,
  arg: A,
): Promise<void> {
  try {
    await callback?.(arg);
  } catch (error) {
    logger.error({ callback: name, errorType: errorType(error) }, 'a leader elector callback threw');
  }
}
