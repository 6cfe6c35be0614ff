import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ConnectionPool, type CreatePoolOptions, createPool } from '@letta/db-pool';
import pg from 'pg';
import { type CollectingProvider, sdkProvider } from '../support/meter-providers';

/** The benchmark database, tagged with an `application_name` of its own so its backends are easy to spot. */
export function benchUri(label: string): string {
  const url = new URL(process.env.LETTA_TEST_PG_URI || 'postgresql://postgres@127.0.0.1:5432/test');
  url.searchParams.set('application_name', `letta-db-pool-bench-${label}-${process.pid}`);
  return url.toString();
}

/** A checkout-query-release cycle through one pool, as Kysely drives it. */
export type Operation = () => Promise<void>;

export interface Measurement {
  readonly ops: number;
  readonly qps: number;
  /** CPU time of this process (pool, driver, metrics) per operation: steadier than qps on a busy machine. */
  readonly cpuUsPerOp: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

function percentile(sorted: Float64Array, fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

/** The baseline: a raw `pg.Pool` of `max` connections running `cycle`. */
export function rawPoolContender(max: number, cycle: (pool: pg.Pool) => Promise<void>): Contender {
  return {
    name: `raw pg.Pool (max ${max})`,
    async open() {
      const pool = new pg.Pool({ connectionString: benchUri('raw'), max });
      return { operation: () => cycle(pool), close: () => pool.end() };
    },
  };
}

/**
 * A contender that opens an @letta/db-pool pool reporting to a meter provider that collects every
 * second: a plain SDK MeterProvider unless `provider` says otherwise.
 */
export function poolContender(
  name: string,
  options: Omit<CreatePoolOptions, 'uri'> & { label: string },
  cycle: (pool: ConnectionPool) => Promise<void>,
  provider: () => Promise<CollectingProvider> = sdkProvider,
): Contender {
  return {
    name,
    async open() {
      const { meterProvider, close } = await provider();
      const { label, ...poolOptions } = options;
      const pool = createPool({ uri: benchUri(label), ...poolOptions }, { meterProvider });
      return {
        operation: () => cycle(pool),
        async close() {
          await pool.end();
          await close();
        },
      };
    },
  };
}

/** Runs `operation` from `concurrency` workers for `durationMs` and reports throughput and latency. */
export async function measure(
  operation: Operation,
  concurrency: number,
  durationMs: number,
): Promise<Measurement> {
  const latencies: number[] = [];
  const deadline = performance.now() + durationMs;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        await operation();
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const elapsed = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  const sorted = Float64Array.from(latencies).sort();
  return {
    ops: latencies.length,
    qps: latencies.length / (elapsed / 1000),
    cpuUsPerOp: (user + system) / latencies.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
  };
}

/** A pool under test: created fresh for each round and closed before the next one opens. */
export interface Contender {
  readonly name: string;
  open(): Promise<{ operation: Operation; close(): Promise<void> }>;
}

/**
 * Runs each contender `rounds` times in turn (interleaved, so a busy neighbour hits all alike) and keeps
 * each contender's median round by throughput. Only one pool is open at a time.
 */
export async function compare(
  contenders: readonly Contender[],
  concurrency: number,
  { rounds = 7, warmupMs = 500, durationMs = 1_500, settleMs = 300 } = {},
): Promise<Map<string, Measurement>> {
  const runs = new Map<string, Measurement[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const contender of contenders) {
      const { operation, close } = await contender.open();
      try {
        await measure(operation, concurrency, warmupMs);
        runs.get(contender.name)?.push(await measure(operation, concurrency, durationMs));
      } finally {
        await close();
      }
      // Lets the server finish tearing down the last round's backends before the next pool starts.
      await sleep(settleMs);
    }
  }
  const medians = new Map<string, Measurement>();
  for (const [name, measurements] of runs) {
    const sorted = [...measurements].sort((a, b) => a.qps - b.qps);
    const median = sorted[Math.floor(sorted.length / 2)];
    if (median) medians.set(name, median);
  }
  return medians;
}

/** Prints one table row per contender with its throughput ratio against the baseline (the first). */
export function printTable(title: string, concurrency: number, results: Map<string, Measurement>): void {
  const rows = [...results.entries()];
  const baseline = rows[0]?.[1].qps ?? Number.NaN;
  console.log(`\n${title}, concurrency ${concurrency}`);
  console.log(
    `${'variant'.padEnd(48)}${'qps'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}` +
      `${'cpu µs/op'.padStart(11)}${'qps ratio'.padStart(11)}`,
  );
  for (const [name, m] of rows) {
    console.log(
      name.padEnd(48) +
        m.qps.toFixed(0).padStart(9) +
        m.p50Ms.toFixed(3).padStart(9) +
        m.p99Ms.toFixed(3).padStart(9) +
        m.cpuUsPerOp.toFixed(1).padStart(11) +
        `${(m.qps / baseline).toFixed(2)}x`.padStart(11),
    );
  }
}
