/**
 * `SELECT 1` through a pool of 25 + 10 at concurrency 8 and 64: raw `pg.Pool` against @letta/db-pool
 * with pre-ping and monitoring on (a plain SDK MeterProvider collecting every second; and
 * @letta/telemetry's, which pre-aggregates the pool's histograms), and against its no-pool mode. No-pool mode is capped at 35 sessions, as the pool is, to stay well inside the server's
 * max_connections. Each round checks out, runs the query and releases, as Kysely does.
 */
import { telemetryProvider } from '../support/meter-providers';
import { compare, poolContender, printTable, rawPoolContender } from './harness';

async function selectOne(pool: {
  connect(): Promise<{ query(sql: string, parameters: unknown[]): Promise<unknown>; release(): void }>;
}) {
  const client = await pool.connect();
  await client.query('SELECT 1', []);
  client.release();
}

const contenders = [
  rawPoolContender(35, selectOne),
  poolContender(
    '@letta/db-pool (pre-ping on, monitoring on)',
    { label: 'queue', poolSize: 25, maxOverflow: 10, prePing: true },
    selectOne,
  ),
  poolContender(
    '@letta/db-pool, @letta/telemetry provider',
    { label: 'queue', poolSize: 25, maxOverflow: 10, prePing: true },
    selectOne,
    telemetryProvider,
  ),
  poolContender(
    '@letta/db-pool no-pool mode (monitoring on)',
    { label: 'null', pooling: false, maxConcurrentSessions: 35 },
    selectOne,
  ),
];

for (const concurrency of [8, 64]) {
  printTable('SELECT 1, pool 25 + 10', concurrency, await compare(contenders, concurrency));
}
