import { createPool } from '@letta/db-pool';
import { requireExecutables, requireService, testPgUri } from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgProxy, uriVia } from './helpers';
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

/** Opens `checkouts` connections one after another in no-pool mode (each checkout a new connection). */
async function checkOutInTurn(uri: string, checkouts: number): Promise<boolean[]> {
  const pool = createPool({ uri, pooling: false });
  const tls: boolean[] = [];
  try {
    for (let i = 0; i < checkouts; i++) {
      const client = await pool.connect();
      const { rows } = await client.query('select ssl from pg_stat_ssl where pid = pg_backend_pid()', []);
      tls.push((rows[0] as { ssl: boolean }).ssl);
      client.release();
    }
  } finally {
    await pool.end();
  }
  return tls;
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

  it('allow remembers a refused plain connection: later connections start with TLS', async () => {
    const proxy = await startPgProxy(server.port);
    try {
      const tls = await checkOutInTurn(uriVia(server.uri('tls_only', '?sslmode=allow'), proxy.port), 4);
      console.log(`allow, hostssl only: 4 checkouts, ${proxy.accepted()} connections, TLS ${tls}`);
      expect(tls).toEqual([true, true, true, true]);
      expect(proxy.accepted()).toBe(5);
    } finally {
      await proxy.close();
    }
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

  it('prefer remembers a server without TLS: one refused TLS request, not one per connection', async () => {
    if ((await tlsOf(uri(''))) === true) return;
    const proxy = await startPgProxy();
    try {
      const tls = await checkOutInTurn(uriVia(uri('sslmode=prefer'), proxy.port), 5);
      console.log(`prefer, server without TLS: 5 checkouts, ${proxy.accepted()} connections`);
      expect(tls).toEqual([false, false, false, false, false]);
      expect(proxy.accepted()).toBe(6);
    } finally {
      await proxy.close();
    }
  });
});
