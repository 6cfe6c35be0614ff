/**
 * Letta's pool defaults, in Letta's units (seconds). The settings schema shows them as the defaults of
 * `LETTA_PG_POOL_SIZE` and its neighbours; `@letta/db-pool` applies them to options left unset.
 */
export const lettaPoolDefaults = Object.freeze({
  poolSize: 25,
  maxOverflow: 10,
  poolTimeoutSeconds: 30,
  recycleSeconds: 1800,
  prePing: true,
  useLifo: true,
  /** Letta's default is no pooling: a new connection per checkout (SQLAlchemy's NullPool). */
  disablePooling: true,
});

/**
 * The smallest value each pool setting may take. The settings schema declares them as the ranges of
 * `LETTA_PG_POOL_SIZE` and its neighbours, so `letta-settings validate` refuses what `@letta/db-pool`
 * would refuse at start-up; `@letta/db-pool` checks its options against the same numbers.
 */
export const lettaPoolMinimums = Object.freeze({
  /** 0 means no limit. */
  poolSize: 0,
  /** -1 means no limit. */
  maxOverflow: -1,
  poolTimeoutSeconds: 1,
  maxConcurrentSessions: 1,
});
