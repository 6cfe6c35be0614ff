import type pg from 'pg';
import type { PgConnectionConfig } from '../uri/pg-config';

/** pg's error when the server answers `N` to the TLS request: it has TLS turned off. */
const SERVER_WITHOUT_TLS = /does not support SSL/i;

/** How long a server's answer (no TLS, or no plain text) is trusted before the preferred attempt is tried again. */
const FALLBACK_MEMORY_MS = 60_000;

/** The server turned the plain connection away: pg_hba.conf only has `hostssl` for this client. */
function refusedPlain(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '28000' && typeof message === 'string' && /no encryption/i.test(message);
}

function refusedTls(error: unknown): boolean {
  return error instanceof Error && SERVER_WITHOUT_TLS.test(error.message);
}

/**
 * Where the last connection needed its second attempt, and until when to start with that one. libpq
 * goes on in plain text on the connection whose TLS request the server declined; pg cannot, so each
 * fallback costs a second connection and a second server process. Without this memory every connection
 * in `prefer` mode (the default) to a server without TLS would pay that, in no-pool mode every checkout.
 */
const secondAttemptUntil = new Map<string, number>();

/**
 * Opens a connection with libpq's (and asyncpg's) `sslmode=prefer` and `allow`, which pg lacks:
 * `prefer` tries TLS and connects in plain text when the server has no TLS; `allow` connects in plain
 * text and tries TLS when the server refuses a plain connection. Other modes make one attempt. Once a
 * server has needed the second attempt, connections to it start there for `FALLBACK_MEMORY_MS`; if the
 * server has changed its mind meanwhile, the refusal sends the connection back to the first attempt.
 */
export async function openWithTlsFallback(
  config: PgConnectionConfig,
  open: (attempt: PgConnectionConfig) => Promise<pg.Client>,
): Promise<pg.Client> {
  const { sslFallback, ...base } = config;
  if (sslFallback === undefined) return open(base);
  const tls = { ...base, ssl: base.ssl ?? { rejectUnauthorized: false } };
  const plain = { ...base, ssl: false };
  const [first, second, firstRefused, secondRefused] =
    sslFallback === 'prefer'
      ? [tls, plain, refusedTls, refusedPlain]
      : [plain, tls, refusedPlain, refusedTls];
  const server = `${sslFallback} ${base.user ?? ''}@${base.host ?? ''}:${base.port ?? ''}/${base.database ?? ''}`;
  if ((secondAttemptUntil.get(server) ?? 0) > performance.now()) {
    try {
      return await open(second);
    } catch (error) {
      secondAttemptUntil.delete(server);
      if (!secondRefused(error)) throw error;
      return open(first);
    }
  }
  try {
    return await open(first);
  } catch (error) {
    if (!firstRefused(error)) throw error;
    const client = await open(second);
    secondAttemptUntil.set(server, performance.now() + FALLBACK_MEMORY_MS);
    return client;
  }
}
