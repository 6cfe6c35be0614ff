import { readFileSync } from 'node:fs';
import type { SecretLike } from '@letta/core';
import { type DatabaseUri, DatabaseUriError, parseDatabaseUri } from '@letta/core';

/** TLS options in the shape `pg` (and Node's `tls.connect`) take. */
export interface PgSslOptions {
  rejectUnauthorized: boolean;
  /** Skips the host name check while still verifying the chain (`sslmode=verify-ca`). */
  checkServerIdentity?: () => undefined;
  ca?: string;
  cert?: string;
  key?: string;
}

/**
 * A `pg.Client` configuration. The password is a function, which `pg` accepts, so the object can be
 * logged or serialised without showing it.
 */
export interface PgConnectionConfig {
  host?: string;
  port?: number;
  user?: string;
  password?: () => string;
  database?: string;
  ssl?: boolean | PgSslOptions;
  /**
   * libpq's `sslmode=prefer` (TLS, else plain text when the server has none) or `allow` (plain text,
   * else TLS when the server refuses plain text); `ssl` then holds the TLS options of the TLS attempt.
   * A URI without `sslmode` is `prefer`, as libpq and asyncpg (Letta's driver) treat it.
   */
  sslFallback?: 'prefer' | 'allow';
  application_name?: string;
  options?: string;
  connectionTimeoutMillis?: number;
  keepAlive?: boolean;
  /** The server-side `statement_timeout` in milliseconds, sent when the connection opens. */
  statement_timeout?: number;
}

const FILE_PARAMS = { sslrootcert: 'ca', sslcert: 'cert', sslkey: 'key' } as const;

function readParamFile(uri: DatabaseUri, param: keyof typeof FILE_PARAMS): string | undefined {
  const path = uri.params[param];
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseUriError(
      `The database URI parameter ${param} names a file that cannot be read (${reason}). Fix the path or remove ${param}.`,
    );
  }
}

/**
 * libpq's `sslmode` (or asyncpg's `ssl`, which Letta's async URIs carry) as pg's `ssl` option, and for
 * `prefer` (also when no mode is given) and `allow` the fallback the connection makes (`tls-fallback.ts`).
 */
function sslOption(uri: DatabaseUri): Pick<PgConnectionConfig, 'ssl' | 'sslFallback'> {
  const mode = (uri.params.sslmode ?? uri.params.ssl)?.toLowerCase() ?? 'prefer';
  const files: Omit<PgSslOptions, 'rejectUnauthorized'> = {};
  for (const [param, field] of Object.entries(FILE_PARAMS) as [
    keyof typeof FILE_PARAMS,
    'ca' | 'cert' | 'key',
  ][]) {
    const content = readParamFile(uri, param);
    if (content !== undefined) files[field] = content;
  }
  switch (mode) {
    case 'disable':
    case 'false':
    case '0':
      return { ssl: false };
    case 'allow':
    case 'prefer':
      return { ssl: { rejectUnauthorized: false, ...files }, sslFallback: mode };
    case 'require':
      // libpq: with a root certificate, `require` verifies the chain like `verify-ca`.
      return {
        ssl:
          files.ca === undefined
            ? { rejectUnauthorized: false, ...files }
            : { rejectUnauthorized: true, checkServerIdentity: () => undefined, ...files },
      };
    case 'verify-ca':
      return { ssl: { rejectUnauthorized: true, checkServerIdentity: () => undefined, ...files } };
    case 'verify-full':
    case 'true':
    case '1':
      return { ssl: { rejectUnauthorized: true, ...files } };
    default:
      throw new DatabaseUriError(
        `The database URI has sslmode "${mode}", which is not one of disable, allow, ` +
          'prefer, require, verify-ca or verify-full. Fix the sslmode (or ssl) parameter.',
      );
  }
}

function positiveNumber(uri: DatabaseUri, param: string): number | undefined {
  const value = uri.params[param];
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) {
    throw new DatabaseUriError(
      `The database URI has ${param}="${value}", which is not a number of 0 or more. Fix ${param}.`,
    );
  }
  return number;
}

/**
 * A `pg.Client` configuration from a URI (or its parsed parts). Honoured parameters: `sslmode`/`ssl`
 * with `sslrootcert`, `sslcert` and `sslkey`, `application_name`, `options`, `connect_timeout` (seconds)
 * and `keepalives`. Others, such as asyncpg's cache settings in Letta's URIs, are ignored.
 */
export function toPgConfig(uri: string | SecretLike | DatabaseUri): PgConnectionConfig {
  const parsed = isParsed(uri) ? uri : parseDatabaseUri(uri);
  const config: PgConnectionConfig = {};
  if (parsed.host !== null) config.host = parsed.host;
  if (parsed.port !== null) config.port = parsed.port;
  if (parsed.user !== null) config.user = parsed.user;
  const password = parsed.password;
  if (password !== null) config.password = () => password.reveal();
  if (parsed.database !== null) config.database = parsed.database;
  Object.assign(config, sslOption(parsed));
  const { application_name: applicationName, options } = parsed.params;
  if (applicationName !== undefined) config.application_name = applicationName;
  if (options !== undefined) config.options = options;
  const connectTimeout = positiveNumber(parsed, 'connect_timeout');
  if (connectTimeout) config.connectionTimeoutMillis = connectTimeout * 1000;
  const keepalives = parsed.params.keepalives;
  if (keepalives !== undefined) config.keepAlive = keepalives !== '0';
  return config;
}

function isParsed(uri: string | SecretLike | DatabaseUri): uri is DatabaseUri {
  return typeof uri === 'object' && 'scheme' in uri;
}
