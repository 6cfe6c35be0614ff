/**
 * GET + SADD mix at concurrency 64 against a real Redis (LETTA_TEST_REDIS_URL, default 127.0.0.1:6379):
 * raw ioredis vs @letta/redis (metrics on, with an SDK MeterProvider; and off) vs the no-op client.
 * Rounds are interleaved so machine load hits every contender alike; the median round counts.
 *
 *   pnpm bench:redis            ROUNDS=7 ROUND_MS=3000 pnpm bench:redis
 */
import { randomUUID } from 'node:crypto';
import { createRedisClient } from '@letta/redis';
import {
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { Redis, type RedisOptions } from 'ioredis';

const CONCURRENCY = 64;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const ROUND_MS = Number(process.env.ROUND_MS ?? 2_000);
const url = new URL(process.env.LETTA_TEST_REDIS_URL || 'redis://127.0.0.1:6379');
const server = { host: url.hostname, port: Number(url.port) || 6379 };
const prefix = `letta-redis-bench:${randomUUID().slice(0, 8)}`;

interface Contender {
  name: string;
  client: { get(key: string): Promise<unknown>; sadd(key: string, member: string): Promise<unknown> };
}

interface Round {
  opsPerSecond: number;
  /** This process's CPU time per operation, in microseconds: steadier than throughput on a busy machine. */
  cpuMicros: number;
}

/** Runs 64 workers alternating GET and SADD for one round. */
async function round(contender: Contender): Promise<Round> {
  const end = performance.now() + ROUND_MS;
  let operations = 0;
  const worker = async (id: number) => {
    const key = `${prefix}:key:${id % 8}`;
    const set = `${prefix}:set:${id % 8}`;
    for (let i = 0; performance.now() < end; i++) {
      if (i % 2 === 0) await contender.client.get(key);
      else await contender.client.sadd(set, `member-${i % 1_000}`);
      operations++;
    }
  };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, id) => worker(id)));
  const cpu = process.cpuUsage(cpuBefore);
  return {
    opsPerSecond: operations / ((performance.now() - started) / 1_000),
    cpuMicros: (cpu.user + cpu.system) / operations,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

// The same wire settings @letta/redis pins (RESP2, no offline queue), so the ratio is the wrapper's cost.
const pinned: RedisOptions = { ...server, protocol: 2, enableOfflineQueue: false, maxRetriesPerRequest: 0 };
const rawPinned = new Redis(pinned);
const rawDefaults = new Redis(server);
const reader = new PeriodicExportingMetricReader({
  exporter: new InMemoryMetricExporter(0),
  exportIntervalMillis: 1_000,
});
const meterProvider = new MeterProvider({ readers: [reader] });
const withMetrics = await createRedisClient({ ...server, fallback: 'throw' }, { meterProvider });
const withoutMetrics = await createRedisClient({ ...server, fallback: 'throw' });
const noop = await createRedisClient({ host: null });
await Promise.all([rawPinned.ping(), rawDefaults.ping()]);

const contenders: Contender[] = [
  { name: 'raw ioredis (same wire settings)', client: rawPinned },
  { name: 'raw ioredis (v6 defaults, RESP3)', client: rawDefaults },
  { name: '@letta/redis, metrics on (SDK)', client: withMetrics },
  { name: '@letta/redis, no meter provider', client: withoutMetrics },
  { name: '@letta/redis no-op client', client: noop },
];

const results = new Map<string, Round[]>(contenders.map((contender) => [contender.name, []]));
for (const contender of contenders) await round(contender);
for (let r = 0; r < ROUNDS; r++) {
  for (const contender of contenders) results.get(contender.name)?.push(await round(contender));
}

const summary = (rounds: Round[]) => ({
  opsPerSecond: median(rounds.map((r) => r.opsPerSecond)),
  cpuMicros: median(rounds.map((r) => r.cpuMicros)),
});
const baseline = summary(results.get(contenders[0]?.name ?? '') ?? []);
console.log(`GET + SADD mix, concurrency ${CONCURRENCY}, ${ROUNDS} rounds of ${ROUND_MS} ms (medians)`);
console.log(`${'client'.padEnd(36)} ${'ops/s'.padStart(12)}  ratio   CPU µs/op  ratio`);
for (const [name, rounds] of results) {
  const { opsPerSecond, cpuMicros } = summary(rounds);
  console.log(
    `${name.padEnd(36)} ${Math.round(opsPerSecond).toLocaleString('en-US').padStart(12)}  ` +
      `${(opsPerSecond / baseline.opsPerSecond).toFixed(2)}x  ${cpuMicros.toFixed(2).padStart(9)}  ` +
      `${(baseline.cpuMicros / cpuMicros).toFixed(2)}x`,
  );
}
console.log('ratio: against raw ioredis with the same wire settings; for CPU, raw µs/op ÷ this µs/op.');

await rawPinned.del(
  ...Array.from({ length: 8 }, (_, id) => [`${prefix}:key:${id}`, `${prefix}:set:${id}`]).flat(),
);
await Promise.all([withMetrics.close(), withoutMetrics.close(), noop.close(), meterProvider.shutdown()]);
rawPinned.disconnect();
rawDefaults.disconnect();
