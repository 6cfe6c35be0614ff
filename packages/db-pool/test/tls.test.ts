import { createPool } from '@letta/db-pool';
import { requireExecutables, requireService, testPgUri } from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTlsServer, TLS_SERVER_EXECUTABLES, type TlsServer } from './pg-tls-server';

/** Whether a connection opened from `uri` uses TLS, or the error that stopped it. */
async function tlsOf(uri: string): Promise<boolean | string> {
  const pool = createPool({ uri });
  try {
    const client = await pool.connect();
    try {
      const { rows } = await client.query('select ssl from pg_stat_ssl where pid = pg_backend_pid()', []);
      return (rows[0] as { ssl?: boolean } | undefined)?.ssl ?? false;
    } finally {
      client.release();
    }
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await pool.end();
  }
}

const canRun = requireExecutables('TLS server', TLS_SERVER_EXECUTABLES);

describe.skipIf(!canRun)('sslmode against a PostgreSQL of our own with TLS on', () => {
  let server: TlsServer;
  beforeAll(async () => {
    server = await startTlsServer();
  }, 120_000);
  afterAll(() => server?.destroy());

  it('uses TLS when the URI names no sslmode, as libpq and asyncpg (prefer) do', async () => {
    expect(await tlsOf(server.uri('postgres'))).toBe(true);
  });

  it('prefer uses TLS; require uses TLS; disable does not', async () => {
    expect(await tlsOf(server.uri('postgres', '?sslmode=prefer'))).toBe(true);
    expect(await tlsOf(server.uri('postgres', '?sslmode=require'))).toBe(true);
    expect(await tlsOf(server.uri('postgres', '?sslmode=disable'))).toBe(false);
  });

  it('allow connects in plain text, and over TLS when the server refuses plain text', async () => {
    expect(await tlsOf(server.uri('postgres', '?sslmode=allow'))).toBe(false);
    expect(await tlsOf(server.uri('tls_only', '?sslmode=allow'))).toBe(true);
    expect(await tlsOf(server.uri('tls_only', '?sslmode=disable'))).toMatch(/no encryption/);
  });

  it("reads asyncpg's ssl parameter, as Letta's async URIs carry it", async () => {
    expect(await tlsOf(server.uri('tls_only', '?ssl=prefer'))).toBe(true);
  });
});

const hasPostgres = await requireService('postgres');

describe.skipIf(!hasPostgres)('sslmode against a PostgreSQL with TLS off', () => {
  const uri = (query: string) => {
    const url = new URL(testPgUri());
    url.searchParams.delete('sslmode');
    for (const [key, value] of new URLSearchParams(query)) url.searchParams.set(key, value);
    return url.toString();
  };

  it('prefer (and no sslmode) falls back to plain text; allow stays plain', async () => {
    const ssl = await tlsOf(uri(''));
    // The shared server may have TLS on; the fallback only shows where it is off.
    if (ssl === true) return;
    expect(ssl).toBe(false);
    expect(await tlsOf(uri('sslmode=prefer'))).toBe(false);
    expect(await tlsOf(uri('sslmode=allow'))).toBe(false);
    expect(await tlsOf(uri('sslmode=require'))).toMatch(/does not support SSL/);
  });
});
