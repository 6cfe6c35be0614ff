import { createEngine, type Engine } from '@letta/db-pool';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { requireService, testPgUri } from '@test/support';
import { SqliteDialect, sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tracingDialect } from '../src/engine/tracing-dialect';

const hasPg = await requireService('postgres');

interface Database {
  traced_items: { id: number; name: string };
}

const exporter = new InMemorySpanExporter();
const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});
afterEach(() => exporter.reset());

describe.skipIf(!hasPg)('statement spans on PostgreSQL', () => {
  let engine: Engine<Database>;
  const uri = new URL(testPgUri());

  beforeAll(async () => {
    engine = await createEngine<Database>(
      { kind: 'postgres', uri: testPgUri(), poolSize: 2, maxOverflow: 0 },
      { tracerProvider },
    );
  });
  afterAll(() => engine?.close());

  it('records each statement as a client span under the caller, with db.* attributes and no text', async () => {
    const parent = tracerProvider.getTracer('test').startSpan('POST /v1/agents/:agent_id/messages');
    await context.with(trace.setSpan(context.active(), parent), async () => {
      await engine.db.selectNoFrom((eb) => eb.val('secret-literal').as('value')).execute();
    });
    parent.end();

    const [statement] = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT);
    expect(statement?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(statement?.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(statement?.name).toBe(`SELECT ${uri.pathname.slice(1)}`);
    expect(statement?.attributes).toEqual({
      'db.system.name': 'postgresql',
      'db.namespace': uri.pathname.slice(1),
      'db.operation.name': 'SELECT',
      'server.address': uri.hostname,
      'server.port': Number(uri.port || 5432),
    });
  });

  it('marks a failed statement with its SQLSTATE, never the message', async () => {
    await expect(sql`select * from no_such_table_for_tracing`.execute(engine.db)).rejects.toThrow();
    const [failed] = exporter.getFinishedSpans();
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed?.status.message).toBeUndefined();
    expect(failed?.attributes['error.type']).toBe('42P01');
    expect(failed?.attributes['db.response.status_code']).toBe('42P01');
    expect(failed?.events).toEqual([]);
  });

  it('traces the statements of a transaction, BEGIN and COMMIT included', async () => {
    await engine.transaction(async (trx) => {
      await sql`select 1`.execute(trx);
    });
    const operations = exporter.getFinishedSpans().map((span) => span.attributes['db.operation.name']);
    expect(operations).toEqual(['BEGIN', 'SELECT', 'COMMIT']);
  });

  it('adds the compiled text, placeholders instead of values, only when asked', async () => {
    const withText = await createEngine<Database>(
      { kind: 'postgres', uri: testPgUri(), pooling: false },
      { tracerProvider, traceQueryText: true },
    );
    try {
      await withText.db.selectNoFrom((eb) => eb.val('secret-literal').as('value')).execute();
    } finally {
      await withText.close();
    }
    const [statement] = exporter.getFinishedSpans();
    expect(statement?.attributes['db.query.text']).toBe('select $1 as "value"');
  });
});

describe('statement spans on SQLite', () => {
  it('names the system and the file, and records nothing without a tracer provider', async () => {
    const traced = await createEngine<Database>({ kind: 'sqlite', filename: ':memory:' }, { tracerProvider });
    const untraced = await createEngine<Database>({ kind: 'sqlite', filename: ':memory:' });
    try {
      await sql`select 1`.execute(traced.db);
      await sql`select 1`.execute(untraced.db);
    } finally {
      await Promise.all([traced.close(), untraced.close()]);
    }
    expect(exporter.getFinishedSpans().map((span) => [span.name, span.attributes])).toEqual([
      [
        'SELECT :memory:',
        { 'db.system.name': 'sqlite', 'db.namespace': ':memory:', 'db.operation.name': 'SELECT' },
      ],
    ]);
  });
});

describe('tracing off', () => {
  it('leaves the dialect untouched without a tracer provider, so no span object is ever made', () => {
    const dialect = new SqliteDialect({ database: {} as never });
    expect(tracingDialect(dialect, { system: 'sqlite', namespace: 'x' }, {})).toBe(dialect);
    expect(tracingDialect(dialect, { system: 'sqlite', namespace: 'x' }, { tracerProvider })).not.toBe(
      dialect,
    );
  });
});
