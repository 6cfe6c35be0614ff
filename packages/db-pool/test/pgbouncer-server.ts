import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  findExecutable,
  freePort,
  isReachable,
  postgresOwnedDir,
  spawnAsPostgres,
  testPgUri,
} from '@test/support';
import { taggedUriVia } from './helpers';

/** A PgBouncer of the test's own, in transaction mode, in front of the test database. */
export interface PgBouncerServer {
  readonly port: number;
  /** The test database through PgBouncer, tagged with `application_name`. */
  uri(tag: string): string;
  stop(): Promise<void>;
}

/**
 * Starts PgBouncer on a free loopback port with `pool_mode = transaction` and `poolSize` server
 * connections, in front of the database of `testPgUri()`. Authentication is left to PostgreSQL's trust.
 */
export async function startPgBouncer(poolSize: number): Promise<PgBouncerServer> {
  const upstream = new URL(testPgUri());
  const database = upstream.pathname.slice(1) || 'postgres';
  const user = decodeURIComponent(upstream.username) || 'postgres';
  const port = await freePort();
  const dir = await postgresOwnedDir('pgbouncer');
  const config = join(dir.path, 'pgbouncer.ini');
  writeFileSync(
    config,
    [
      '[databases]',
      `${database} = host=${upstream.hostname} port=${upstream.port || 5432} dbname=${database} user=${user}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = any',
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 50',
      'ignore_startup_parameters = extra_float_digits',
      '',
    ].join('\n'),
  );
  const executable = findExecutable('pgbouncer') ?? 'pgbouncer';
  const child = spawnAsPostgres(executable, [config]);
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  for (let attempt = 0; !(await isReachable('127.0.0.1', port, 200)); attempt++) {
    if (attempt >= 100 || child.exitCode !== null) {
      child.kill('SIGKILL');
      dir.remove();
      throw new Error(`pgbouncer did not start on port ${port}: ${output}`);
    }
    await sleep(50);
  }
  return {
    port,
    uri: (tag) => taggedUriVia(tag, port),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      dir.remove();
    },
  };
}
