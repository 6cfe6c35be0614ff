import { randomBytes } from 'node:crypto';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import type { EngineSettingsInput, LogFn, PoolClient } from '@letta/db-pool';
import { type DataPoint, MetricReader } from '@opentelemetry/sdk-metrics';
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

/** `uri` reached through something listening on a loopback `port` instead (a proxy). */
export function uriVia(uri: string, port: number): string {
  const url = new URL(uri);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.toString();
}

/** The tagged test database URI, reached through something listening on a loopback `port` instead. */
export function taggedUriVia(tag: string, port: number): string {
  return uriVia(taggedUri(tag), port);
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

/**
 * A TCP proxy in front of PostgreSQL that can cut its connections silently: the server side closes
 * (the backend exits) while the client side stays open until the client next writes. That is a
 * connection that died without telling anyone, the case pre-ping exists for.
 */
export interface PgProxy {
  readonly port: number;
  /** The test URI routed through the proxy. */
  uri(tag: string): string;
  /** How many connections the proxy has accepted. */
  accepted(): number;
  /** Cuts every current connection silently. */
  sever(): void;
  /** Stops forwarding in both directions without closing anything: a network partition. */
  freeze(): void;
  close(): Promise<void>;
}

/** Proxies the test database, or another PostgreSQL on a loopback `port`. */
export async function startPgProxy(port?: number): Promise<PgProxy> {
  const target = new URL(testPgUri());
  const pairs = new Set<{ client: Socket; server: Socket; severed: boolean }>();
  let frozen = false;
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted++;
    const upstream =
      port === undefined
        ? netConnect(Number(target.port) || 5432, target.hostname)
        : netConnect(port, '127.0.0.1');
    const pair = { client, server: upstream, severed: false };
    pairs.add(pair);
    client.on('data', (chunk) => {
      if (pair.severed) client.destroy();
      else if (!frozen) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!frozen) client.write(chunk);
    });
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
  const listening = typeof address === 'object' && address ? address.port : 0;
  return {
    port: listening,
    uri: (tag) => taggedUriVia(tag, listening),
    accepted: () => accepted,
    sever() {
      for (const pair of pairs) {
        pair.severed = true;
        pair.server.destroy();
      }
    },
    freeze() {
      frozen = true;
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
export function lettaSettings(overrides: Partial<EngineSettingsInput> = {}): EngineSettingsInput {
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

/** A logger that keeps every line, for asserting on what was logged (and what never was). */
export function recordingLogger(): {
  logger: { debug: LogFn; info: LogFn; warn: LogFn; error: LogFn };
  lines: { level: string; fields: Record<string, unknown>; message: string }[];
} {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at =
    (level: string): LogFn =>
    (fields, message) =>
      lines.push({ level, fields: fields as Record<string, unknown>, message });
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

/** A 64-bit advisory lock key of this test run's own, so parallel runs never contend. */
export function uniqueLockKey(): bigint {
  return BigInt.asIntN(64, BigInt(`0x${randomBytes(8).toString('hex')}`));
}

/** The pid of the backend holding the advisory lock `key`, if any. */
export async function lockHolder(admin: pg.Client, key: bigint): Promise<number | undefined> {
  const unsigned = BigInt.asUintN(64, key);
  const { rows } = await admin.query<{ pid: number }>(
    "select pid from pg_locks where locktype = 'advisory' and granted and classid = $1::oid " +
      'and objid = $2::oid and objsubid = 1',
    [String(unsigned >> 32n), String(unsigned & 0xffffffffn)],
  );
  return rows[0]?.pid;
}

/** The `application_name` of a backend. */
export async function applicationName(admin: pg.Client, pid: number): Promise<string | undefined> {
  const { rows } = await admin.query<{ name: string }>(
    'select application_name as name from pg_stat_activity where pid = $1',
    [pid],
  );
  return rows[0]?.name;
}

/** One metric as an exporter gets it: its unit and data points. */
export interface Series {
  unit: string;
  points: DataPoint<unknown>[];
}

/** Collects now and keeps this package's metrics, by name. */
export async function collect(reader: TestMetricReader): Promise<Map<string, Series>> {
  const { resourceMetrics } = await reader.collect();
  const series = new Map<string, Series>();
  for (const scope of resourceMetrics.scopeMetrics) {
    if (scope.scope.name !== '@letta/db-pool') continue;
    for (const metric of scope.metrics) {
      series.set(metric.descriptor.name, { unit: metric.descriptor.unit, points: metric.dataPoints });
    }
  }
  return series;
}

/** The value of the first point of `name` whose attributes include `attributes`. */
export function value(
  metrics: Map<string, Series>,
  name: string,
  attributes: Record<string, string> = {},
): unknown {
  const point = metrics
    .get(name)
    ?.points.find((p) =>
      Object.entries(attributes).every(([key, expected]) => p.attributes[key] === expected),
    );
  return point?.value;
}
