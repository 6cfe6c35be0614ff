/**
 * The cost of telemetry on the database path, across packages: `SELECT 1` through @letta/db-pool's
 * engine (`engine.ping()`: pool 10, Kysely) with pool monitoring on and @letta/telemetry's SDK meter provider collecting
 * every second, against the same engine with monitoring off and no provider (telemetry off), with raw
 * `pg.Pool` as the floor. Target: telemetry on at most 5% slower than off. Rounds are interleaved
 * (A B C, A B C, ...) and each contender gets its median, so a busy machine hits all of them alike.
 */
import { performance } from 'node:perf_hooks';
import { createEngine } from '@letta/db-pool';
import { setupTelemetry } from '@letta/telemetry';
import { InMemoryMetricExporter, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import pg from 'pg';
import { benchUri } from './harness';

const CONCURRENCY = 8;
const ROUND_MS = 1_000;
const ROUNDS = 11;

interface Contender {
  name: string;
  query: () => Promise<unknown>;
  close: () => Promise<void>;
}

const raw = new pg.Pool({ connectionString: benchUri('raw'), max: 10 });

const telemetry = await setupTelemetry(
  { otlpEndpoint: null, disableTracing: false, preferredTemporality: 1, environment: null, datadog: null },
  {
    registerGlobal: false,
    metricReaders: [
      new PeriodicExportingMetricReader({
        exporter: new InMemoryMetricExporter(0),
        exportIntervalMillis: 1_000,
      }),
    ],
  },
);
const monitored = await createEngine(
  { kind: 'postgres', uri: benchUri('on'), poolSize: 10, maxOverflow: 0, monitoring: true },
  { meterProvider: telemetry.meterProvider },
);
const unmonitored = await createEngine({
  kind: 'postgres',
  uri: benchUri('off'),
  poolSize: 10,
  maxOverflow: 0,
  monitoring: false,
});

const contenders: Contender[] = [
  { name: 'raw pg.Pool (max 10)', query: () => raw.query('SELECT 1'), close: () => raw.end() },
  {
    name: 'engine, telemetry off (no monitoring)',
    query: () => unmonitored.ping(),
    close: () => unmonitored.close(),
  },
  {
    name: 'engine, monitoring + SDK meter provider',
    query: () => monitored.ping(),
    close: async () => {
      await monitored.close();
      await telemetry.shutdown();
    },
  },
];

/** Queries per second and process CPU microseconds per query over one round. */
async function round(query: () => Promise<unknown>): Promise<{ qps: number; cpuUs: number }> {
  let done = 0;
  const deadline = performance.now() + ROUND_MS;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        await query();
        done++;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { qps: done / ((performance.now() - start) / 1000), cpuUs: (used.user + used.system) / done };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

for (const contender of contenders) await round(contender.query);
const samples = contenders.map(() => ({ qps: [] as number[], cpuUs: [] as number[] }));
for (let i = 0; i < ROUNDS; i++) {
  for (const [index, contender] of contenders.entries()) {
    const result = await round(contender.query);
    samples[index]?.qps.push(result.qps);
    samples[index]?.cpuUs.push(result.cpuUs);
  }
}
for (const contender of contenders) await contender.close();

const results = contenders.map((contender, index) => ({
  name: contender.name,
  qps: median(samples[index]?.qps ?? []),
  cpuUs: median(samples[index]?.cpuUs ?? []),
}));
const off = results[1] ?? { qps: 1, cpuUs: 1 };
console.log(
  `\nSELECT 1 at concurrency ${CONCURRENCY}, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms (medians)`,
);
for (const result of results) {
  console.log(
    `  ${result.name.padEnd(42)} ${result.qps.toFixed(0).padStart(6)} q/s  ${result.cpuUs.toFixed(1).padStart(6)} CPU us/query` +
      `  x${(off.qps / result.qps).toFixed(3)} time, x${(result.cpuUs / off.cpuUs).toFixed(3)} CPU of telemetry off`,
  );
}
const on = results[2] ?? off;
const slower = (off.qps / on.qps - 1) * 100;
console.log(
  `  time per query with telemetry on: ${slower >= 0 ? '+' : ''}${slower.toFixed(1)}% against off (target: at most +5%)`,
);
