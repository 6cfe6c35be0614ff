/**
 * Pool bookkeeping alone: check out an idle connection and release it, with no query, from 1 and 16
 * callers over 10 connections. Raw `pg.Pool` against @letta/db-pool with monitoring off and on (an SDK
 * MeterProvider). This is the cost the pool adds to every statement Kysely runs.
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
  name: 'raw pg.Pool (max 10)',
  async open() {
    const pool = new pg.Pool({ connectionString: tagged('raw'), max: 10 });
    return {
      operation: async () => {
        (await pool.connect()).release();
      },
      close: () => pool.end(),
    };
  },
};

function ours(name: string, monitoring: boolean): Contender {
  return {
    name,
    async open() {
      const meterProvider = new MeterProvider({
        readers: [
          new PeriodicExportingMetricReader({
            exporter: new InMemoryMetricExporter(0),
            exportIntervalMillis: 1_000,
          }),
        ],
      });
      const pool = createPool(
        { uri: tagged('queue'), poolSize: 10, maxOverflow: 0, prePing: true, monitoring },
        { meterProvider },
      );
      return {
        operation: async () => {
          (await pool.connect()).release();
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
  ours('@letta/db-pool (pre-ping on, monitoring off)', false),
  ours('@letta/db-pool (pre-ping on, monitoring on)', true),
];

for (const concurrency of [1, 16]) {
  printTable(
    'checkout + release, no query',
    concurrency,
    await compare(contenders, concurrency, { durationMs: 1_000 }),
  );
}
