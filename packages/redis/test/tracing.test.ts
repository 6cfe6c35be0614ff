import { createRedisClient } from '@letta/redis';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { requireService, testRedisUrl } from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyspace, optionsFor } from './fixtures';

const hasRedis = await requireService('redis');
const keys = keyspace('tracing');
const k = keys.key;

describe.skipIf(!hasRedis)('command spans', () => {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(async () => {
    context.disable();
    await keys.cleanup();
  });

  it('records each command as a client span under the caller, without keys or values', async () => {
    const client = await createRedisClient({ ...optionsFor(), fallback: 'throw' }, { tracerProvider });
    const parent = tracerProvider.getTracer('test').startSpan('request');
    try {
      await context.with(trace.setSpan(context.active(), parent), async () => {
        await client.set(k('secret-key'), 'secret-value');
        await client.get(k('secret-key'));
      });
      // A reply error (GET on a set) is a failed span with the error's class only.
      await client.sadd(k('a-set'), 'member');
      await expect(client.get(k('a-set'))).rejects.toThrow();
    } finally {
      parent.end();
      await client.close();
    }
    const url = new URL(testRedisUrl());
    const commands = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT);
    expect(commands.map((span) => span.name)).toEqual(['SET', 'GET', 'SADD', 'GET']);
    expect(commands[0]?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(commands[0]?.attributes).toEqual({
      'db.system.name': 'redis',
      'db.namespace': String(Number(url.pathname.slice(1) || 0)),
      'db.operation.name': 'SET',
      'server.address': url.hostname,
      'server.port': Number(url.port || 6379),
    });
    const failed = commands[3];
    expect(failed?.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(failed?.attributes['error.type']).toBe('ReplyError');
    expect(JSON.stringify(commands.map((span) => [span.attributes, span.events]))).not.toMatch(
      /secret|member/,
    );
  });

  it('makes no span without the option, even with a global tracer provider', async () => {
    exporter.reset();
    trace.setGlobalTracerProvider(tracerProvider);
    const client = await createRedisClient({ ...optionsFor(), fallback: 'throw' });
    try {
      await client.get(k('untraced'));
    } finally {
      trace.disable();
      await client.close();
    }
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
