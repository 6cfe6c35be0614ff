import { randomBytes } from 'node:crypto';
import { createEngine, type Engine } from '@letta/db-pool';
import { testPgUri, testRedisUrl } from '@test/support';
import { sql } from 'kysely';

/** Tags every connection these tests open, so only our own backends are ever counted or terminated. */
export const APPLICATION_NAME = 'letta-refsrv-test';

/** A database of its own on the shared PostgreSQL, created for one suite and dropped after it. */
export interface ThrowawayDatabase {
  readonly name: string;
  /** A URI for the database, tagged with `application_name`. */
  readonly uri: string;
  /** A small engine on the database, for assertions on its rows. */
  open<DB>(): Promise<Engine<DB>>;
  /** Ends every connection to the database and refuses new ones, as if it went down. */
  refuseConnections(): Promise<void>;
  allowConnections(): Promise<void>;
  drop(): Promise<void>;
}

function uriFor(database: string): string {
  const url = new URL(testPgUri());
  url.pathname = `/${database}`;
  url.searchParams.set('application_name', APPLICATION_NAME);
  return url.toString();
}

export async function createThrowawayDatabase(): Promise<ThrowawayDatabase> {
  const name = `refsrv_${randomBytes(6).toString('hex')}`;
  const admin = await createEngine({
    kind: 'postgres',
    uri: uriFor(new URL(testPgUri()).pathname.slice(1)),
    pooling: false,
  });
  await sql`create database ${sql.id(name)}`.execute(admin.db);
  const opened: Array<Engine<unknown>> = [];
  return {
    name,
    uri: uriFor(name),
    async open<DB>() {
      const engine = await createEngine<DB>({
        kind: 'postgres',
        uri: uriFor(name),
        poolSize: 2,
        maxOverflow: 0,
      });
      opened.push(engine as Engine<unknown>);
      return engine;
    },
    async refuseConnections() {
      await sql`alter database ${sql.id(name)} allow_connections false`.execute(admin.db);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name}`.execute(
        admin.db,
      );
    },
    async allowConnections() {
      await sql`alter database ${sql.id(name)} allow_connections true`.execute(admin.db);
    },
    async drop() {
      await Promise.all(opened.map((engine) => engine.close()));
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db);
      await admin.close();
    },
  };
}

/** The environment of a server on `database` with a small pool, logging at INFO. */
export function postgresEnv(database: ThrowawayDatabase): Record<string, string> {
  return {
    LETTA_PG_URI: database.uri,
    LETTA_DISABLE_SQLALCHEMY_POOLING: 'false',
    LETTA_PG_POOL_SIZE: '3',
    LETTA_PG_MAX_OVERFLOW: '1',
    LETTA_LOGGING_LOG_LEVEL: 'INFO',
  };
}

/** The environment of a server on `database` and the shared Redis, with a small pool. */
export function realServicesEnv(database: ThrowawayDatabase): Record<string, string> {
  const redis = new URL(testRedisUrl());
  return {
    ...postgresEnv(database),
    LETTA_REDIS_HOST: redis.hostname,
    LETTA_REDIS_PORT: redis.port || '6379',
    LETTA_KEEPALIVE_INTERVAL: '0.2',
  };
}
