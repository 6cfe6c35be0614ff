/**
 * GET then SET from 64 concurrent callers against a real Redis (LETTA_TEST_REDIS_URL, default
 * 127.0.0.1:6379), one process, rounds interleaved, medians printed:
 * - raw ioredis with the wire settings @letta/redis pins (the baseline, 1.00);
 * - @letta/redis with no meter provider (nothing timed);
 * - @letta/redis recording `db.client.operation.duration` through a plain SDK MeterProvider (every record
 *   through `@opentelemetry/api`);
 * - @letta/redis with @letta/telemetry's SDK MeterProvider, whose bound instruments pre-aggregate the
 *   histogram and hand it to the reader at collection;
 * - raw ioredis with the official OpenTelemetry ioredis instrumentation (a span per command, batched to
 *   an exporter that counts and drops them), enabled only for its own rounds.
 * Targets: at least 0.95 of raw without a meter provider, at least 0.90 with the SDK.
 *
 *   pnpm bench:redis-telemetry            ROUNDS=9 ROUND_MS=2000 pnpm bench:redis-telemetry
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { eachRound, interleave, median, roundRatios, times } from '../support/rounds';

// The instrumentation patches ioredis when it is required, so it exists before ioredis is loaded; it is
// switched off at once and on only for its own contender's rounds. The commands here run outside any
// request span, so it is told to trace them anyway (by default it traces only inside a parent span).
const instrumentation = new IORedisInstrumentation({ requireParentSpan: false });
let exportedSpans = 0;
const countingExporter: SpanExporter = {
  export(spans: ReadableSpan[], done) {
    exportedSpans += spans.length;
    done({ code: 0 });
  },
  shutdown: () => Promise.resolve(),
};
const tracerProvider = new TracerProvider({
  spanProcessors: [new BatchSpanProcessor({ exporter: countingExporter, maxQueueSize: 65_536 })],
});
instrumentation.setTracerProvider(tracerProvider);
const { Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
instrumentation.disable();
const { createRedisClient } = await import('@letta/redis');
const { sdkProvider, telemetryProvider } = await import('../support/meter-providers');

const CONCURRENCY = 64;
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const ROUND_MS = Number(process.env.ROUND_MS ?? 2_000);
const url = new URL(process.env.LETTA_TEST_REDIS_URL || 'redis://127.0.0.1:6379');
const server = { host: url.hostname, port: Number(url.port) || 6379 };
const prefix = `letta-redis-bench:${randomUUID().slice(0, 8)}`;

interface Commands {
  get(key: string): Promise<unknown>;
  set(key: string, value: string): Promise<unknown>;
}

interface Round {
  commandsPerSecond: number;
  /** This process's CPU time per command, in µs: steadier than throughput on a busy machine. */
  cpuMicros: number;
  spans: number;
}

async function round(client: Commands): Promise<Round> {
  const spansBefore = exportedSpans;
  const end = performance.now() + ROUND_MS;
  let commands = 0;
  const worker = async (id: number) => {
    const key = `${prefix}:${id % 16}`;
    for (let i = 0; performance.now() < end; i++) {
      await client.get(key);
      await client.set(key, `value-${i % 1_000}`);
      commands += 2;
    }
  };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, id) => worker(id)));
  const cpu = process.cpuUsage(cpuBefore);
  await tracerProvider.forceFlush();
  return {
    commandsPerSecond: commands / ((performance.now() - started) / 1_000),
    cpuMicros: (cpu.user + cpu.system) / commands,
    spans: exportedSpans - spansBefore,
  };
}

// The wire settings @letta/redis pins (RESP2, no offline queue), so the ratio is the wrapper's cost.
const pinned = { ...server, protocol: 2, enableOfflineQueue: false, maxRetriesPerRequest: 0 } as const;
const raw = new Redis(pinned);
const instrumented = new Redis(pinned);
const sdk = await sdkProvider();
const withoutProvider = await createRedisClient({ ...server, fallback: 'throw' });
const withSdk = await createRedisClient(
  { ...server, fallback: 'throw' },
  { meterProvider: sdk.meterProvider },
);
const telemetry = await telemetryProvider();
const withTelemetry = await createRedisClient(
  { ...server, fallback: 'throw' },
  { meterProvider: telemetry.meterProvider },
);
await Promise.all([raw.ping(), instrumented.ping()]);

const contenders: Record<string, () => Promise<Round>> = {
  'raw ioredis': () => round(raw),
  '@letta/redis, no meter provider': () => round(withoutProvider),
  '@letta/redis, SDK meter provider': () => round(withSdk),
  '@letta/redis, @letta/telemetry provider': () => round(withTelemetry),
  'ioredis + OTel instrumentation': async () => {
    instrumentation.enable();
    try {
      return await round(instrumented);
    } finally {
      instrumentation.disable();
    }
  },
};
const results = await interleave(
  Object.keys(contenders),
  ROUNDS,
  (name) => contenders[name]?.() ?? round(raw),
);

const BASELINE = 'raw ioredis';
const rates = eachRound(results, (round) => round.commandsPerSecond);
const cpuMicros = eachRound(results, (round) => round.cpuMicros);
console.log(`GET then SET, ${CONCURRENCY} callers, ${ROUNDS} rounds of ${ROUND_MS} ms (medians)`);
console.log(`${'client'.padEnd(40)} ${'commands/s'.padStart(11)}  ratio  CPU µs/cmd  ratio  spans/cmd`);
for (const [name, rounds] of results) {
  const rate = median(rates.get(name) ?? []);
  const cpu = median(cpuMicros.get(name) ?? []);
  const rateRatio = median(roundRatios(rates, name, BASELINE));
  const cpuRatio = median(roundRatios(cpuMicros, BASELINE, name));
  const spansPerCommand =
    rounds.reduce((sum, r) => sum + r.spans, 0) /
    rounds.reduce((sum, r) => sum + r.commandsPerSecond * (ROUND_MS / 1_000), 0);
  console.log(
    `${name.padEnd(40)} ${Math.round(rate).toLocaleString('en-US').padStart(11)}  ${times(rateRatio)}  ` +
      `${cpu.toFixed(2).padStart(10)}  ${times(cpuRatio)}  ${spansPerCommand.toFixed(2).padStart(9)}`,
  );
}
console.log(
  "ratios against raw ioredis, each the median of the rounds' back-to-back ratios; for CPU, raw µs/command ÷ this µs/command.",
);
console.log('targets: no meter provider >= 0.95, SDK meter provider >= 0.90.');

await raw.del(...Array.from({ length: 16 }, (_, id) => `${prefix}:${id}`));
await Promise.all([
  withoutProvider.close(),
  withSdk.close(),
  withTelemetry.close(),
  telemetry.close(),
  sdk.close(),
  tracerProvider.shutdown(),
]);
raw.disconnect();
instrumented.disconnect();
