import { randomBytes } from 'node:crypto';
import {
  type OtlpJsonSpan,
  type OtlpReceiver,
  otlpAttribute,
  otlpJsonSpans,
  requireService,
  startOtlpReceiver,
  until,
} from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, postMessage } from './http';
import { type ServerProcess, startServerProcess } from './server-process';
import { createThrowawayDatabase, realServicesEnv, type ThrowawayDatabase } from './throwaway-database';

const hasPg = await requireService('postgres');
const hasRedis = await requireService('redis');

const SERVER = 2;
const CLIENT = 3;
const MESSAGES_ROUTE = 'POST /v1/agents/:agentId/messages';

/** Polls the receiver until `pick` finds what it wants in the spans, or fails after 10 s. */
async function waitForSpans<T>(receiver: OtlpReceiver, pick: (spans: OtlpJsonSpan[]) => T | undefined) {
  return until(
    () => `the spans; received: ${JSON.stringify(otlpJsonSpans(receiver.received).map((span) => span.name))}`,
    () => pick(otlpJsonSpans(receiver.received)),
    10_000,
  );
}

/** The server span of one traced request, found by its trace id, once its statements arrived too. */
function requestTrace(traceId: string) {
  return (spans: OtlpJsonSpan[]) => {
    const inTrace = spans.filter((span) => span.traceId === traceId);
    const servers = inTrace.filter((span) => span.kind === SERVER);
    const clients = inTrace.filter((span) => span.kind === CLIENT);
    const statements = clients.filter((span) => otlpAttribute(span, 'db.system.name') === 'postgresql');
    const commands = clients.filter((span) => otlpAttribute(span, 'db.system.name') === 'redis');
    return servers.length > 0 && statements.length > 0 && commands.length > 0
      ? { servers, statements, commands, inTrace }
      : undefined;
  };
}

describe.skipIf(!hasPg || !hasRedis)('traces of the reference server, exported over OTLP/HTTP', () => {
  let database: ThrowawayDatabase;
  let receiver: OtlpReceiver;
  let server: ServerProcess;

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    receiver = await startOtlpReceiver();
    server = await startServerProcess({
      env: {
        ...realServicesEnv(database),
        // The standard variables alone turn export on.
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '50',
        OTEL_SERVICE_NAME: 'traced-reference-server',
        LETTA_LOGGING_JSON_LOGGING: 'true',
        // Statement lines are logged inside the request, so they show which trace they belong to.
        LETTA_PG_ECHO: 'true',
      },
    });
  });
  afterAll(async () => {
    await server?.cleanup();
    receiver?.server.close();
    await database?.drop();
  });

  it('makes one trace per message write: the server span is the parent of every database and Redis span', async () => {
    const agent = await createAgent(server.url);
    const written = await postMessage(server.url, agent.id, 'hello');
    expect(written.status).toBe(201);

    const server_ = await waitForSpans(receiver, (spans) =>
      spans.find((span) => span.name === MESSAGES_ROUTE && otlpAttribute(span, 'http.agentId') === agent.id),
    );
    expect(server_.kind).toBe(SERVER);
    expect(server_.parentSpanId ?? '').toBe('');
    expect(otlpAttribute(server_, 'http.response.status_code')).toBe(201);
    expect(otlpAttribute(server_, 'http.route')).toBe('/v1/agents/:agentId/messages');

    const { servers, statements, commands, inTrace } = await waitForSpans(
      receiver,
      requestTrace(server_.traceId),
    );
    expect(servers).toEqual([server_]);
    expect(statements.length).toBeGreaterThanOrEqual(2);
    for (const statement of statements) {
      expect(statement.parentSpanId).toBe(server_.spanId);
      expect(otlpAttribute(statement, 'db.system.name')).toBe('postgresql');
      expect(otlpAttribute(statement, 'db.namespace')).toBe(database.name);
      expect(otlpAttribute(statement, 'db.query.text')).toBeUndefined();
    }
    const operations = statements.map((span) => otlpAttribute(span, 'db.operation.name'));
    expect(operations).toContain('INSERT');
    // The agent's write lock in Redis, taken and released, and the message announced to every instance's
    // streams after the commit: all inside the request.
    expect(commands.map((span) => span.name).sort()).toEqual(['EVALSHA', 'EVALSHA', 'XADD']);
    expect(commands.every((span) => span.parentSpanId === server_.spanId)).toBe(true);
    // Nothing else joined the trace: every span is the request's, a statement or a command.
    expect(inTrace).toHaveLength(1 + statements.length + commands.length);
  });

  it("continues an incoming W3C traceparent, keeps its tracestate, and logs the request's trace id", async () => {
    const agent = await createAgent(server.url);
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const written = await postMessage(server.url, agent.id, 'traced', {
      traceparent: `00-${traceId}-${callerSpanId}-01`,
      tracestate: 'caller=abc',
    });
    expect(written.status).toBe(201);

    const { servers, statements } = await waitForSpans(receiver, requestTrace(traceId));
    expect(servers).toHaveLength(1);
    expect(servers[0]?.name).toBe(MESSAGES_ROUTE);
    expect(servers[0]?.parentSpanId).toBe(callerSpanId);
    expect(servers[0]?.traceState).toBe('caller=abc');
    expect(statements.every((span) => span.parentSpanId === servers[0]?.spanId)).toBe(true);

    const requestLines = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { message: string; trace_id?: string; span_id?: string })
      .filter((line) => line.trace_id === traceId);
    expect(requestLines.length).toBeGreaterThanOrEqual(statements.length);
    expect(requestLines.every((line) => line.message === 'sql' && line.span_id === servers[0]?.spanId)).toBe(
      true,
    );
  });
});
