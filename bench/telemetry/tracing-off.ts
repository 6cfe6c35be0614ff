/**
 * What tracing costs on the statement path: `select 1` through an engine on in-memory SQLite (no network,
 * so the engine's own work dominates), in three forms run in interleaved rounds:
 * - the baseline: an engine created without any tracing option;
 * - tracing off as the reference server runs it: `setupTelemetry` without an endpoint, and the engine
 *   given a tracer provider only when `telemetry.enabled.traces`;
 * - tracing on: an SDK tracer provider recording every statement span (exported to nowhere).
 * The first two must be the same code path, so their ratio is 1 within noise.
 */
import { createEngine, type Engine } from '@letta/db-pool';
import { setupTelemetry } from '@letta/telemetry';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { sql } from 'kysely';

const STATEMENTS_PER_ROUND = 5_000;
const ROUNDS = 15;

type Case = [name: string, engine: Engine<unknown>];

async function round(engine: Engine<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < STATEMENTS_PER_ROUND; i++) await sql`select 1`.execute(engine.db);
  return Number(process.hrtime.bigint() - start) / STATEMENTS_PER_ROUND;
}

// What telemetryOptionsFromSettings gives for Letta's defaults with no OTEL_* variable: nothing exported.
const telemetry = await setupTelemetry({
  otlpEndpoint: null,
  disableTracing: false,
  preferredTemporality: 1,
  environment: null,
  datadog: null,
});
const recording = new TracerProvider({
  spanProcessors: [
    new SimpleSpanProcessor({
      exporter: {
        // 0 is ExportResultCode.SUCCESS: the spans are made and ended, then dropped.
        export: (_spans, done) => done({ code: 0 }),
        shutdown: () => Promise.resolve(),
      },
    }),
  ],
});

const memory = { kind: 'sqlite', filename: ':memory:', monitoring: false } as const;
const cases: Case[] = [
  ['engine, no tracing option (baseline)', await createEngine(memory)],
  [
    'tracing off (setupTelemetry without endpoint)',
    await createEngine(memory, {
      tracerProvider: telemetry.enabled.traces ? telemetry.tracerProvider : undefined,
    }),
  ],
  ['tracing on (SDK provider, every span)', await createEngine(memory, { tracerProvider: recording })],
];

const samples: number[][] = cases.map(() => []);
for (const [, engine] of cases) await round(engine);
for (let r = 0; r < ROUNDS; r++) {
  for (const [index, [, engine]] of cases.entries()) samples[index]?.push(await round(engine));
}
const medians = samples.map((values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0);
const baseline = medians[0] ?? 1;
console.log('\nselect 1 on in-memory SQLite through the engine');
for (const [index, [name]] of cases.entries()) {
  const ns = medians[index] ?? 0;
  console.log(
    `  ${name.padEnd(48)} ${(ns / 1000).toFixed(2).padStart(8)} us/statement   x${(ns / baseline).toFixed(2)}`,
  );
}
await Promise.all(cases.map(([, engine]) => engine.close()));
await recording.shutdown();
await telemetry.close();
