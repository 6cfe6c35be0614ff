import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@letta/core';
import type { AccessMode, ControlledTransaction, IsolationLevel, Kysely, Transaction } from 'kysely';
import { errorType, isConnectionFailure } from '../pool/connection-failure';
import { DatabaseUnavailableError } from '../pool/pool-errors';

/** What `engine.transaction(fn, options)` takes. */
export interface TransactionOptions {
  /**
   * Aborting rolls the transaction back as soon as the statement in flight finishes and rejects with the
   * signal's reason; later statements of the body fail instead of running.
   */
  signal?: AbortSignal;
  isolationLevel?: IsolationLevel;
  accessMode?: AccessMode;
  /** Retries, 100 ms apart and then 200 ms, when the connection fails before the body starts. @default 2 */
  retries?: number;
}

/**
 * Runs `fn` in a transaction: commit when it resolves, rollback when it throws or the signal aborts.
 * Only a connection failure while checking out or sending BEGIN is retried, so the body runs at most
 * once; Letta's retry wrapped the body and turned its errors into a RuntimeError.
 */
export async function runTransaction<DB, T>(
  db: Kysely<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
  options: TransactionOptions,
  context: { readonly logger: Logger; readonly poolName: string },
): Promise<T> {
  const { signal } = options;
  const { logger } = context;
  signal?.throwIfAborted();
  const trx = await begin(db, options, context);
  let result: T;
  try {
    result = await untilAborted(fn(trx), signal);
    signal?.throwIfAborted();
  } catch (error) {
    await rollback(trx, logger);
    throw error;
  }
  try {
    await trx.commit().execute();
  } catch (error) {
    // A failed COMMIT leaves Kysely holding the connection until a rollback releases it.
    await rollback(trx, logger);
    throw error;
  }
  return result;
}

async function begin<DB>(
  db: Kysely<DB>,
  options: TransactionOptions,
  { logger, poolName }: { readonly logger: Logger; readonly poolName: string },
): Promise<ControlledTransaction<DB>> {
  const retries = options.retries ?? 2;
  for (let attempt = 1; ; attempt++) {
    let builder = db.startTransaction();
    if (options.isolationLevel) builder = builder.setIsolationLevel(options.isolationLevel);
    if (options.accessMode) builder = builder.setAccessMode(options.accessMode);
    try {
      return await builder.execute();
    } catch (error) {
      if (!isConnectionFailure(error)) throw error;
      if (attempt > retries) throw unavailableAfter(attempt, error, poolName);
      logger.warn(
        { attempt, errorType: errorType(error) },
        'connection failed before the transaction started; retrying',
      );
      await sleep(100 * attempt, undefined, { signal: options.signal });
    }
  }
}

/** The error for a transaction that could not start: the last failure, with the attempts counted. */
function unavailableAfter(attempts: number, error: unknown, poolName: string): DatabaseUnavailableError {
  const site =
    error instanceof DatabaseUnavailableError
      ? { pool: error.pool, setting: error.setting }
      : { pool: poolName, setting: 'the database server and the network between it and this host' };
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new DatabaseUnavailableError(
    site,
    `the transaction could not start in ${attempts} attempts; last error: ${reason}`,
    { cause: error, attempts },
  );
}

async function rollback<DB>(trx: ControlledTransaction<DB>, logger: Logger): Promise<void> {
  try {
    await trx.rollback().execute();
  } catch (error) {
    // The connection is discarded by the pool when it failed; the caller gets the original error.
    logger.warn({ errorType: errorType(error) }, 'transaction rollback failed');
  }
}

/** Settles with `work`, or rejects with the abort reason as soon as the signal aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => {});
      reject(signal.reason);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
