import { randomBytes } from 'node:crypto';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineSettingsSource, PoolClient } from '@letta/db-pool';
import { MetricReader } from '@opentelemetry/sdk-metrics';
import { testPgUri } from '@test/support';
import pg from 'pg';

/**
 * A unique `application_name` for one test's connections. Other suites share this server, so tests
 * count and terminate only the backends carrying their own tag.
 */
export function uniqueTag(label: string): string {
  return `letta-db-pool-${label}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** The test database URI with `application_name` set to `tag` (and any other parameters given). */
export function taggedUri(tag: string, base = testPgUri(), extra: Record<string, string> = {}): string {
  const url = new URL(base);
  url.searchParams.set('application_name', tag);
  for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, value);
  return url.toString();
}

/** A plain connection for looking at (and terminating) the test's own backends. */
export async function adminClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: taggedUri(uniqueTag('admin')) });
  await client.connect();
  return client;
}

export async function backendPids(admin: pg.Client, tag: string): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    'select pid from pg_stat_activity where application_name = $1 order by pid',
    [tag],
  );
  return rows.map((row) => row.pid);
}

export async function backendCount(admin: pg.Client, tag: string): Promise<number> {
  return (await backendPids(admin, tag)).length;
}

/** Terminates every backend with this tag and waits (up to 5 s each) until they have exited. */
export async function terminateBackends(admin: pg.Client, tag: string): Promise<number[]> {
  const pids = await backendPids(admin, tag);
  for (const pid of pids) await admin.query('select pg_terminate_backend($1, 5000)', [pid]);
  return pids;
}

/** Polls until `check` returns true, failing with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * A TCP proxy in front of PostgreSQL that can cut its connections silently: the server side closes
 * (the backend exits) while the client side stays open until the client next writes. That is a
 * connection that died without telling anyone, the case pre-ping exists for.
 */
export interface PgProxy {
  readonly port: number;
  /** The test URI routed through the proxy. */
  uri(tag: string): string;
  /** Cuts every current connection silently. */
  sever(): void;
  close(): Promise<void>;
}

export async function startPgProxy(): Promise<PgProxy> {
  const target = new URL(testPgUri());
  const pairs = new Set<{ client: Socket; server: Socket; severed: boolean }>();
  const server: Server = createServer((client) => {
    const upstream = netConnect(Number(target.port) || 5432, target.hostname);
    const pair = { client, server: upstream, severed: false };
    pairs.add(pair);
    client.on('data', (chunk) => (pair.severed ? client.destroy() : upstream.write(chunk)));
    upstream.on('data', (chunk) => client.write(chunk));
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', drop);
    client.on('error', drop);
    upstream.on('error', () => upstream.destroy());
    upstream.on('close', () => {
      if (!pair.severed) drop();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    uri(tag) {
      const url = new URL(taggedUri(tag));
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    sever() {
      for (const pair of pairs) {
        pair.severed = true;
        pair.server.destroy();
      }
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.server.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A server that accepts TCP connections and never answers: connecting to it can only time out. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What `fn` throws (undefined when it returns), for asserting on an error's type and fields. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** The backend process id behind a checked-out client. */
export async function pidOf(client: PoolClient): Promise<number> {
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid', []);
  return (rows[0] as { pid: number }).pid;
}

/** A secret as `@letta/settings` makes them: readable through `reveal()` only. */
export function secret(value: string): { reveal(): string; toString(): string } {
  return { reveal: () => value, toString: () => '[redacted]' };
}

/** Letta's defaults in the shape `@letta/settings` builds, with `overrides` applied. */
export function lettaSettings(overrides: Partial<EngineSettingsSource> = {}): EngineSettingsSource {
  return {
    databaseEngine: 'postgres',
    lettaPgUri: secret('postgresql://letta:letta@localhost:5432/letta'),
    lettaDir: '/srv/letta',
    pgPoolSize: 25,
    pgMaxOverflow: 10,
    pgPoolTimeout: 30,
    pgPoolRecycle: 1800,
    pgEcho: false,
    poolPrePing: true,
    poolUseLifo: true,
    disableSqlalchemyPooling: true,
    dbMaxConcurrentSessions: null,
    enableDbPoolMonitoring: true,
    ...overrides,
  };
}

/** A metric reader that collects only when a test asks, to read exactly what an exporter would get. */
export class TestMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}
