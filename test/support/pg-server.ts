import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';
import { PG_BIN, postgresOwnedDir, runAsPostgres, runAsPostgresSync } from './postgres-user';

/** The executables `startPgServer` needs. */
export const PG_SERVER_EXECUTABLES = ['initdb', 'pg_ctl', 'postgres'].map((name) => join(PG_BIN, name));

const pgCtl = join(PG_BIN, 'pg_ctl');

/** A PostgreSQL server controlled through `pg_ctl` on its data directory. */
export interface PgCtlServer {
  readonly port: number;
  readonly dataDir: string;
  /** A trust-auth URI as `postgres` to its `postgres` database, with `application_name` when given. */
  uri(applicationName?: string): string;
  start(): Promise<void>;
  /** A fast shutdown: sessions are ended and the port closes. */
  stop(): Promise<void>;
  /** An immediate shutdown, synchronously, ignoring failures: for cleanup. */
  kill(): void;
}

export function pgCtlServer(dataDir: string, port: number, logFile: string): PgCtlServer {
  return {
    port,
    dataDir,
    uri(applicationName) {
      const url = new URL(`postgresql://postgres@127.0.0.1:${port}/postgres`);
      if (applicationName) url.searchParams.set('application_name', applicationName);
      return url.toString();
    },
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
export function throwawaySettings(port: number, socketDir: string, extra: readonly string[] = []): string {
  return [
    '',
    "listen_addresses = '127.0.0.1'",
    `port = ${port}`,
    `unix_socket_directories = '${socketDir}'`,
    'shared_buffers = 16MB',
    'fsync = off',
    'full_page_writes = off',
    'synchronous_commit = off',
    ...extra,
    '',
  ].join('\n');
}

/** initdb a trust-auth data directory owned by `postgres`. */
export async function initDataDir(dataDir: string): Promise<void> {
  await runAsPostgres(join(PG_BIN, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--no-sync',
  ]);
}

/** One PostgreSQL server of the test's own, which it may freeze, stop and restart. */
export interface PgServerProcess extends PgCtlServer {
  /** SIGSTOPs the postmaster and every backend: the server accepts TCP connections and answers nothing. */
  freeze(): void;
  /** SIGCONTs what `freeze` stopped. */
  thaw(): void;
  /** What the server wrote to its log so far. */
  log(): string;
  /** Stops the server and deletes its files. */
  close(): Promise<void>;
}

export interface PgServerOptions {
  /** `max_connections`, 30 unless given. */
  maxConnections?: number;
  /** More `postgresql.conf` lines. */
  settings?: readonly string[];
  /**
   * Starts in standby mode (`standby.signal`) with no primary to follow: with `hot_standby = off` it
   * refuses every connection with 57P03.
   */
  standby?: boolean;
}

/** Starts a throwaway server on a free loopback port. */
export async function startPgServer(options: PgServerOptions = {}): Promise<PgServerProcess> {
  const dir = await postgresOwnedDir('pg-server');
  const port = await freePort();
  const dataDir = join(dir.path, 'data');
  const logFile = join(dir.path, 'server.log');
  const server = pgCtlServer(dataDir, port, logFile);
  let frozen: number[] = [];
  const signal = (pids: number[], name: NodeJS.Signals) => {
    for (const pid of pids) {
      try {
        process.kill(pid, name);
      } catch {
        // exited meanwhile
      }
    }
  };
  const cleanUp = () => {
    signal(frozen, 'SIGCONT');
    server.kill();
    dir.remove();
  };
  process.once('exit', cleanUp);
  try {
    await initDataDir(dataDir);
    appendFileSync(
      join(dataDir, 'postgresql.conf'),
      throwawaySettings(port, dir.path, [
        `max_connections = ${options.maxConnections ?? 30}`,
        ...(options.settings ?? []),
      ]),
    );
    if (options.standby) writeFileSync(join(dataDir, 'standby.signal'), '');
    await server.start();
  } catch (error) {
    cleanUp();
    throw error;
  }
  return {
    ...server,
    freeze() {
      const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
        .split('\n')
        .map((line) => Number(line.trim()))
        .filter((pid) => pid > 0);
      frozen = [postmaster, ...children];
      signal(frozen, 'SIGSTOP');
    },
    thaw() {
      signal(frozen, 'SIGCONT');
      frozen = [];
    },
    log() {
      return readFileSync(logFile, 'utf8');
    },
    async close() {
      process.removeListener('exit', cleanUp);
      cleanUp();
    },
  };
}
