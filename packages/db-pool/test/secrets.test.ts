import { inspect } from 'node:util';
import { createEngine, createPool } from '@letta/db-pool';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { freePort, requireService } from '@test/support';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { adminClient, TestMetricReader, taggedUri, terminateBackends, uniqueTag } from './helpers';

const hasPg = await requireService('postgres');

const PASSWORD = 'Sup3r-s3cret-pw';

describe.skipIf(!hasPg)('secrets', () => {
  it('never appear in log lines, errors, metrics or an inspected engine', async () => {
    const lines: unknown[] = [];
    const log = (fields: object, message: string) => lines.push({ fields, message });
    const logger = { debug: log, info: log, warn: log, error: log };
    const reader = new TestMetricReader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    const tag = uniqueTag('secrets');
    // Trust authentication accepts any password, so the real server works with this one.
    const uri = taggedUri(tag).replace('://postgres@', `://postgres:${PASSWORD}@`);
    const engine = await createEngine(
      { kind: 'postgres', uri, poolSize: 2, echo: true, metricNames: 'both' },
      { logger, meterProvider },
    );
    await sql`select ${PASSWORD}::text`.execute(engine.db);
    const admin = await adminClient();
    const invalidated = new Promise((resolve) => engine.pool.on('invalidate', resolve));
    await terminateBackends(admin, tag);
    await admin.end();
    await invalidated;
    await engine.ping();

    const port = await freePort();
    const unreachable = createPool(
      { uri: `postgresql://postgres:${PASSWORD}@127.0.0.1:${port}/test`, connectTimeoutMs: 1_000 },
      { logger, meterProvider },
    );
    const errors = [await unreachable.connect().catch((error: unknown) => error)];
    await unreachable.end();

    const { resourceMetrics } = await reader.collect();
    const everything = [
      JSON.stringify(lines),
      ...lines.map((line) => inspect(line, { depth: 10 })),
      ...errors.map((error) => inspect(error, { depth: 10 })),
      JSON.stringify(resourceMetrics.scopeMetrics),
      inspect(engine, { depth: 10 }),
      inspect(unreachable.options),
    ].join('\n');
    await engine.close();
    await meterProvider.shutdown();

    expect(lines.length).toBeGreaterThan(2);
    expect(everything).toContain('invalidated');
    expect(everything).not.toContain(PASSWORD);
  });
});
