import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { RedisOptionsError } from './redis-errors';

/** A secret value, such as `Secret` from `@letta/settings`: printed redacted, revealed on demand. */
export interface SecretLike {
  reveal(): string;
}

/**
 * The settings fields this package reads. The `Settings` object of `@letta/settings` satisfies it, and
 * so does any object with these fields.
 */
export interface RedisSettingsSource {
  redisHost: string | null;
  redisPort: number | null;
  redisPassword: SecretLike | null;
  redisUsername: string | null;
  redisDb: number;
  redisTls: boolean;
}

export type RedisFallback = 'noop' | 'throw';

/** How to reach Redis and how to behave when it is slow or down. Every field except `host` is optional. */
export interface RedisOptions {
  /** The Redis host; `null` means Redis is not configured and the no-op client is used. */
  host: string | null;
  /** @default 6379. `null` also selects the no-op client, like Letta. */
  port?: number | null;
  username?: string | null;
  password?: SecretLike | string | null;
  /** @default 0 */
  db?: number;
  /** `true` for TLS with Node's defaults, or Node `tls.connect` options. @default false */
  tls?: boolean | TlsOptions;
  /** How long one connection attempt may take. @default 5000 */
  connectTimeoutMs?: number;
  /** How long a command may wait for its reply; blocking reads get `block` on top. @default 5000 */
  commandTimeoutMs?: number;
  /** How long `createRedisClient` waits for Redis to be ready. @default 5000 */
  readyTimeoutMs?: number;
  /** What `createRedisClient` returns when Redis is not ready in time. @default 'noop' */
  fallback?: RedisFallback;
  /** Retry an idempotent read once after it timed out (never a write). @default true */
  retryOnTimeout?: boolean;
  /** The longest pause between reconnection attempts; the backoff doubles up to it. @default 2000 */
  maxReconnectDelayMs?: number;
  /** How many blocking `xread` calls may wait at once, each on a connection of its own. @default 50 */
  maxBlockingConnections?: number;
}

/** `RedisOptions` with every default applied and every value checked. */
export interface ResolvedRedisOptions {
  host: string | null;
  port: number | null;
  username: string | null;
  password: SecretLike | null;
  db: number;
  tls: TlsOptions | null;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  readyTimeoutMs: number;
  fallback: RedisFallback;
  retryOnTimeout: boolean;
  maxReconnectDelayMs: number;
  maxBlockingConnections: number;
}

/** The Redis options Letta's settings describe (`LETTA_REDIS_HOST`, `LETTA_REDIS_PORT`, …). */
export function fromSettings(settings: RedisSettingsSource): RedisOptions {
  return {
    host: settings.redisHost,
    port: settings.redisPort,
    username: settings.redisUsername,
    password: settings.redisPassword,
    db: settings.redisDb,
    tls: settings.redisTls,
  };
}

const FALLBACKS: readonly RedisFallback[] = ['noop', 'throw'];

/** Applies the defaults and validates every option once, so nothing is checked on the command path. */
export function resolveRedisOptions(options: RedisOptions): ResolvedRedisOptions {
  const resolved: ResolvedRedisOptions = {
    host: options.host,
    port: options.port === undefined ? 6379 : options.port,
    username: options.username || null,
    password: toSecret(options.password),
    db: options.db ?? 0,
    tls: options.tls === true ? {} : options.tls || null,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    commandTimeoutMs: options.commandTimeoutMs ?? 5_000,
    readyTimeoutMs: options.readyTimeoutMs ?? 5_000,
    fallback: options.fallback ?? 'noop',
    retryOnTimeout: options.retryOnTimeout ?? true,
    maxReconnectDelayMs: options.maxReconnectDelayMs ?? 2_000,
    maxBlockingConnections: options.maxBlockingConnections ?? 50,
  };
  if (resolved.host !== null && (typeof resolved.host !== 'string' || resolved.host.trim() === '')) {
    invalid('host (LETTA_REDIS_HOST)', 'a host name or address, or null for the no-op client', resolved.host);
  }
  if (resolved.port !== null) checkInteger('port (LETTA_REDIS_PORT)', resolved.port, 1, 65_535);
  checkInteger('db (LETTA_REDIS_DB)', resolved.db, 0, Number.MAX_SAFE_INTEGER);
  checkInteger('connectTimeoutMs', resolved.connectTimeoutMs, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('commandTimeoutMs', resolved.commandTimeoutMs, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('readyTimeoutMs', resolved.readyTimeoutMs, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('maxReconnectDelayMs', resolved.maxReconnectDelayMs, 50, Number.MAX_SAFE_INTEGER);
  checkInteger('maxBlockingConnections', resolved.maxBlockingConnections, 1, 10_000);
  if (!FALLBACKS.includes(resolved.fallback)) {
    invalid('fallback', "'noop' or 'throw'", resolved.fallback);
  }
  return resolved;
}

function toSecret(password: SecretLike | string | null | undefined): SecretLike | null {
  if (password === undefined || password === null || password === '') return null;
  return typeof password === 'string' ? new PlainPassword(password) : password;
}

/** A password given as a plain string, kept out of `String()`, JSON and `util.inspect` output. */
class PlainPassword implements SecretLike {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
}

function checkInteger(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    invalid(name, `an integer ${range}`, value);
  }
}

function invalid(name: string, expected: string, found: unknown): never {
  throw new RedisOptionsError(
    `Redis option ${name} must be ${expected}, but found ${typeof found === 'string' ? JSON.stringify(found) : String(found)}. ` +
      'Fix the value in the options passed to createRedisClient or in the environment variable named.',
  );
}
