import type pg from 'pg';
import type { PgConnectionConfig } from '../uri/pg-config';

/** pg's error when the server answers `N` to the TLS request: it has TLS turned off. */
const SERVER_WITHOUT_TLS = /does not support SSL/i;

/** The server turned the plain connection away: pg_hba.conf only has `hostssl` for this client. */
function refusedPlain(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '28000' && typeof message === 'string' && /no encryption/i.test(message);
}

/**
 * Opens a connection with libpq's (and asyncpg's) `sslmode=prefer` and `allow`, which pg lacks:
 * `prefer` tries TLS and connects in plain text when the server has no TLS; `allow` connects in plain
 * text and tries TLS when the server refuses a plain connection. Other modes make one attempt.
 */
export async function openWithTlsFallback(
  config: PgConnectionConfig,
  open: (attempt: PgConnectionConfig) => Promise<pg.Client>,
): Promise<pg.Client> {
  const { sslFallback, ...base } = config;
  if (sslFallback === undefined) return open(base);
  const tls = { ...base, ssl: base.ssl ?? { rejectUnauthorized: false } };
  const plain = { ...base, ssl: false };
  const [first, second, refused] =
    sslFallback === 'prefer'
      ? [tls, plain, (error: unknown) => error instanceof Error && SERVER_WITHOUT_TLS.test(error.message)]
      : [plain, tls, refusedPlain];
  try {
    return await open(first);
  } catch (error) {
    if (!refused(error)) throw error;
    return open(second);
  }
}
