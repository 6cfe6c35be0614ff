/**
 * `SELECT 1` through a pool of 25 + 10 at concurrency 8 and 64: raw `pg.Pool` against @letta/db-pool
 * with pre-ping and monitoring on (an SDK MeterProvider collecting every second), and against its
 * no-pool mode. No-pool mode is capped at 35 sessions, as the pool is, to stay well inside the server's
 * max_connections. Each round checks out, runs the query and releases, as Kysely does.
 */
import { createPool } from '@letta/db-pool';
import {
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import pg from 'pg';
import { type Contender, compare, printTable } from './harness';

const uri = process.env.LETTA_TEST_PG_URI || 'postgresql://postgres@127.0.0.1:5432/test';
const tagged = (name: string) => {
  const url = new URL(uri);
  url.searchParams.set('application_name', `letta-db-pool-bench-${name}-${process.pid}`);
  return url.toString();
};

const rawPool: Contender = {
  name: 'raw pg.Pool (max 35)',
  async open() {
    const pool = new pg.Pool({ connectionString: tagged('raw'), max: 35 });
    return {
      operation: async () => {
        const client = await pool.connect();
        await client.query('SELECT 1');
        client.release();
      },
      close: () => pool.end(),
    };
  },
};

function ours(name: string, pooling: boolean): Contender {
  return {
    name,
    async open() {
      const reader = new PeriodicExportingMetricReader({
        exporter: new InMemoryMetricExporter(0),
        exportIntervalMillis: 1_000,
      });
      const meterProvider = new MeterProvider({ readers: [reader] });
      const pool = createPool(
        {
          uri: tagged(pooling ? 'queue' : 'null'),
          poolSize: 25,
          maxOverflow: 10,
          prePing: true,
          pooling,
          maxConcurrentSessions: pooling ? null : 35,
        },
        { meterProvider },
      );
      return {
        operation: async () => {
          const client = await pool.connect();
          await client.query('SELECT 1', []);
          client.release();
        },
        async close() {
          await pool.end();
          await meterProvider.shutdown();
        },
      };
    },
  };
}

const contenders = [
  rawPool,
  ours('@letta/db-pool (pre-ping on, monitoring on)', true),
  ours('@letta/db-pool no-pool mode (monitoring on)', false),
];

for (const concurrency of [8, 64]) {
  printTable('SELECT 1, pool 25 + 10', concurrency, await compare(contenders, concurrency));
}
