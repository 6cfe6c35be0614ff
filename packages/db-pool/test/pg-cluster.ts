import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@test/support';
import { taggedUri } from './helpers';
import { PG_BIN, postgresOwnedDir, runAsPostgres, runAsPostgresSync } from './postgres-user';

/** The executables `startPgCluster` needs. */
export const PG_CLUSTER_EXECUTABLES = ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'].map((name) =>
  join(PG_BIN, name),
);

/** One PostgreSQL server of the test's own, on a free port. */
export interface PgServer {
  readonly port: number;
  /** A trust-auth URI as `postgres` to its `postgres` database, tagged with `application_name`. */
  uri(tag: string): string;
  start(): Promise<void>;
  /** A fast shutdown: sessions are ended and the port closes. */
  stop(): Promise<void>;
}

/** A primary and a streaming replica made from a base backup of it. */
export interface PgCluster {
  readonly primary: PgServer;
  readonly replica: PgServer;
  /** Stops both servers and deletes their files. */
  destroy(): Promise<void>;
}

const pgCtl = join(PG_BIN, 'pg_ctl');

function server(dataDir: string, port: number, logFile: string): PgServer & { kill(): void } {
  return {
    port,
    uri: (tag) => taggedUri(tag, `postgresql://postgres@127.0.0.1:${port}/postgres`),
    async start() {
      await runAsPostgres(pgCtl, ['-D', dataDir, '-l', logFile, '-w', '-t', '60', 'start']);
    },
    async stop() {
      await runAsPostgres(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    },
    kill() {
      runAsPostgresSync(pgCtl, ['-D', dataDir, '-m', 'immediate', 'stop']);
    },
  };
}

/** Settings for a small, fast, throwaway server that other suites never see. */
function settings(port: number, socketDir: string): string {
  return [
    '',
    "listen_addresses = '127.0.0.1'",
    `port = ${port}`,
    `unix_socket_directories = '${socketDir}'`,
    'max_connections = 30',
    'shared_buffers = 16MB',
    'fsync = off',
    'full_page_writes = off',
    'synchronous_commit = off',
    'wal_level = replica',
    'max_wal_senders = 4',
    'hot_standby = on',
    '',
  ].join('\n');
}

/**
 * initdb a primary on a free port (its default pg_hba trusts replication from 127.0.0.1), start it, then
 * `pg_basebackup -R` a streaming replica from it on another free port and start that too.
 */
export async function startPgCluster(): Promise<PgCluster> {
  const dir = await postgresOwnedDir('cluster');
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const primaryData = join(dir.path, 'primary');
  const replicaData = join(dir.path, 'replica');
  const primary = server(primaryData, primaryPort, join(dir.path, 'primary.log'));
  const replica = server(replicaData, replicaPort, join(dir.path, 'replica.log'));
  const cleanUp = () => {
    replica.kill();
    primary.kill();
    dir.remove();
  };
  process.once('exit', cleanUp);
  try {
    await runAsPostgres(join(PG_BIN, 'initdb'), [
      '-D',
      primaryData,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--no-sync',
    ]);
    appendFileSync(join(primaryData, 'postgresql.conf'), settings(primaryPort, dir.path));
    await primary.start();
    await runAsPostgres(join(PG_BIN, 'pg_basebackup'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      replicaData,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ]);
    appendFileSync(join(replicaData, 'postgresql.conf'), `\nport = ${replicaPort}\n`);
    await replica.start();
  } catch (error) {
    cleanUp();
    throw error;
  }
  return {
    primary,
    replica,
    async destroy() {
      process.removeListener('exit', cleanUp);
      cleanUp();
    },
  };
}
