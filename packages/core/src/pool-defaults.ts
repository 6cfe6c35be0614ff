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
