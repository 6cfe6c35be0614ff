import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, PG_BIN, postgresOwnedDir, runAsPostgres, runAsPostgresSync } from '@test/support';

/** The executables `startTlsServer` needs. */
export const TLS_SERVER_EXECUTABLES = [join(PG_BIN, 'initdb'), join(PG_BIN, 'pg_ctl'), 'openssl'];

/** A PostgreSQL server of the test's own with TLS on, a self-signed certificate, and two users. */
export interface TlsServer {
  readonly port: number;
  /** A URI to its `postgres` database as `user`: `postgres` connects with or without TLS, `tls_only` only with TLS. */
  uri(user: 'postgres' | 'tls_only', query?: string): string;
  destroy(): Promise<void>;
}

/**
 * initdb a server on a free port with `ssl = on` and a certificate made with openssl. pg_hba.conf lets
 * `postgres` in over TLS or plain TCP, and `tls_only` over TLS alone (`hostssl`), so a plain attempt by
 * `tls_only` is refused as libpq's `allow` mode expects.
 */
export async function startTlsServer(): Promise<TlsServer> {
  const dir = await postgresOwnedDir('tls');
  const port = await freePort();
  const data = join(dir.path, 'data');
  const pgCtl = join(PG_BIN, 'pg_ctl');
  const cleanUp = () => {
    runAsPostgresSync(pgCtl, ['-D', data, '-m', 'immediate', 'stop']);
    dir.remove();
  };
  process.once('exit', cleanUp);
  try {
    await runAsPostgres(join(PG_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync']);
    await runAsPostgres('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      join(data, 'server.key'),
      '-out',
      join(data, 'server.crt'),
    ]);
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        '',
        "listen_addresses = '127.0.0.1'",
        `port = ${port}`,
        `unix_socket_directories = '${dir.path}'`,
        'ssl = on',
        "ssl_cert_file = 'server.crt'",
        "ssl_key_file = 'server.key'",
        'fsync = off',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(data, 'pg_hba.conf'),
      [
        'local all all trust',
        'hostssl all tls_only 127.0.0.1/32 trust',
        'host all postgres 127.0.0.1/32 trust',
        '',
      ].join('\n'),
    );
    await runAsPostgres(pgCtl, ['-D', data, '-l', join(dir.path, 'server.log'), '-w', '-t', '60', 'start']);
    await runAsPostgres(join(PG_BIN, 'psql'), [
      '-h',
      dir.path,
      '-p',
      String(port),
      '-U',
      'postgres',
      '-c',
      'CREATE ROLE tls_only LOGIN',
      'postgres',
    ]);
  } catch (error) {
    cleanUp();
    throw error;
  }
  return {
    port,
    uri: (user, query = '') => `postgresql://${user}@127.0.0.1:${port}/postgres${query}`,
    async destroy() {
      process.removeListener('exit', cleanUp);
      cleanUp();
    },
  };
}
