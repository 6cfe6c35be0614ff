import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePort,
  initDataDir,
  PG_BIN,
  pgCtlServer,
  postgresOwnedDir,
  runAsPostgres,
  throwawaySettings,
} from '@test/support';
import { taggedUri } from './helpers';

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

/** A `pg_ctl` server whose URIs carry the test tag as `application_name`. */
function server(dataDir: string, port: number, logFile: string): PgServer & { kill(): void } {
  const controlled = pgCtlServer(dataDir, port, logFile);
  return { ...controlled, uri: (tag) => taggedUri(tag, controlled.uri()) };
}

/** A primary and a streaming replica made from a base backup of it. */
export interface PgCluster {
  readonly primary: PgServer;
  readonly replica: PgServer;
  /** Stops both servers and deletes their files. */
  destroy(): Promise<void>;
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
  const primarySettings = throwawaySettings(primaryPort, dir.path, [
    'max_connections = 30',
    'wal_level = replica',
    'max_wal_senders = 4',
    'hot_standby = on',
  ]);
  const cleanUp = () => {
    replica.kill();
    primary.kill();
    dir.remove();
  };
  process.once('exit', cleanUp);
  try {
    await initDataDir(primaryData);
    appendFileSync(join(primaryData, 'postgresql.conf'), primarySettings);
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
