import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ConnectionPool, type CreatePoolOptions, createPool } from '@letta/db-pool';
import pg from 'pg';
import { type CollectingProvider, sdkProvider } from '../support/meter-providers';
import { eachRound, median, roundRatios, times } from '../support/rounds';

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

/**
 * Runs `operation` from `concurrency` workers for `warmupMs` then `durationMs` without a pause between,
 * and reports throughput and latency of the operations that started after the warm-up: a pool is
 * measured under steady load, not while it reopens what a lull between warm-up and measurement closed
 * (a QueuePool closes its overflow connections as soon as nobody waits).
 */
export async function measure(
  operation: Operation,
  concurrency: number,
  warmupMs: number,
  durationMs: number,
): Promise<Measurement> {
  const latencies: number[] = [];
  const measuredFrom = performance.now() + warmupMs;
  const deadline = measuredFrom + durationMs;
  let cpu: NodeJS.CpuUsage | undefined;
  const warmedUp = sleep(warmupMs).then(() => {
    cpu = process.cpuUsage();
  });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        await operation();
        if (begin >= measuredFrom) latencies.push(performance.now() - begin);
      }
    }),
  );
  await warmedUp;
  const { user, system } = process.cpuUsage(cpu);
  const elapsed = performance.now() - measuredFrom;
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

/** A contender's median round, and the median of its rounds' throughput ratios against the baseline. */
export interface Summary extends Measurement {
  readonly qpsRatio: number;
}

/**
 * Runs each contender `rounds` times in turn (interleaved, so a busy neighbour hits all alike) and keeps
 * each contender's median round by throughput. The ratio against the baseline (the first contender) is
 * the median of each round's ratio, measured back to back: steadier than the ratio of the medians on a
 * machine whose speed drifts between rounds. Only one pool is open at a time.
 */
export async function compare(
  contenders: readonly Contender[],
  concurrency: number,
  { rounds = 7, warmupMs = 500, durationMs = 1_500, settleMs = 300 } = {},
): Promise<Map<string, Summary>> {
  const runs = new Map<string, Measurement[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const contender of contenders) {
      const { operation, close } = await contender.open();
      try {
        runs.get(contender.name)?.push(await measure(operation, concurrency, warmupMs, durationMs));
      } finally {
        await close();
      }
      // Lets the server finish tearing down the last round's backends before the next pool starts.
      await sleep(settleMs);
    }
  }
  const qps = eachRound(runs, (m) => m.qps);
  const baseline = contenders[0]?.name ?? '';
  const summaries = new Map<string, Summary>();
  for (const [name, measurements] of runs) {
    const medianRound = [...measurements].sort((a, b) => a.qps - b.qps)[Math.floor(measurements.length / 2)];
    const qpsRatio = median(roundRatios(qps, name, baseline));
    if (medianRound) summaries.set(name, { ...medianRound, qpsRatio });
  }
  return summaries;
}

/** Prints one table row per contender with its throughput ratio against the baseline (the first). */
export function printTable(title: string, concurrency: number, results: Map<string, Summary>): void {
  console.log(`\n${title}, concurrency ${concurrency}`);
  console.log(
    `${'variant'.padEnd(48)}${'qps'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}` +
      `${'cpu µs/op'.padStart(11)}${'qps ratio'.padStart(11)}`,
  );
  for (const [name, m] of results) {
    console.log(
      name.padEnd(48) +
        m.qps.toFixed(0).padStart(9) +
        m.p50Ms.toFixed(3).padStart(9) +
        m.p99Ms.toFixed(3).padStart(9) +
        m.cpuUsPerOp.toFixed(1).padStart(11) +
        times(m.qpsRatio).padStart(11),
    );
  }
}
