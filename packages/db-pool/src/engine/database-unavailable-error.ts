import { LettaError } from '@letta/core';

/** A connection failure kept every attempt of `engine.transaction()` from starting its body. */
export class DatabaseUnavailableError extends LettaError {
  override readonly name = 'DatabaseUnavailableError';
  readonly code = 'ERR_DB_UNAVAILABLE';
  override readonly retryable = true;
  readonly attempts: number;

  constructor(attempts: number, cause: unknown) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(
      `The database could not be reached in ${attempts} attempts before the transaction started (last error: ` +
        `${reason}). Nothing was run; retry the request once the database is reachable.`,
      { cause },
    );
    this.attempts = attempts;
  }
}
