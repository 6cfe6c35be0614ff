import { performance } from 'node:perf_hooks';
import {
  PG_SERVER_EXECUTABLES,
  type PgServerProcess,
  type RedisServerProcess,
  requireExecutables,
  requireProgram,
  startPgServer,
  startRedisServer,
  until,
} from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentBody, call, createAgent, type MessageBody, postMessage } from './http';
import { type ServerProcess, startServerProcess } from './server-process';
import { openSse } from './sse-client';
import { StatusTally } from './status-tally';

const canRun =
  requireExecutables('reference server failure paths', PG_SERVER_EXECUTABLES) &&
  requireProgram('redis-server', 'apt-get install redis-server') !== null;

/** The burst of issue 15: 150 concurrent writers (1,200 writes in all), then 200 stream opens at once. */
const WRITERS = 150;
const WRITES_EACH = 8;
const STREAM_OPENS = 200;

function report(what: string, figures: Record<string, unknown>): void {
  process.stdout.write(`[failure paths] ${what}: ${JSON.stringify(figures)}\n`);
}

describe.skipIf(!canRun)('reference server failure paths on its own PostgreSQL and Redis', () => {
  let pg: PgServerProcess;
  let redis: RedisServerProcess;
  let server: ServerProcess;

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startPgServer({ maxConnections: 30 }), startRedisServer()]);
    // Letta's default no-pool mode, with a 1 s pool timeout so that each outage answers quickly.
    server = await startServerProcess({
      env: {
        LETTA_PG_URI: pg.uri('letta-refsrv-faults'),
        LETTA_PG_POOL_TIMEOUT: '1',
        LETTA_REDIS_HOST: '127.0.0.1',
        LETTA_REDIS_PORT: String(redis.port),
        LETTA_LOGGING_LOG_LEVEL: 'INFO',
      },
    });
  }, 60_000);
  afterAll(async () => {
    pg?.thaw();
    await server?.cleanup();
    await redis?.stop();
    await pg?.close();
  });

  it('bounds concurrent sessions in no-pool mode: 150 writers and 200 stream opens get 201/200 or 503, never 500', async () => {
    // max_connections 30, 3 reserved for superusers, 10 kept free: 17 sessions for one instance.
    expect(server.output()).toContain('Bounded concurrent database sessions {"maxConcurrentSessions":17}');
    const agents: AgentBody[] = [];
    while (agents.length < WRITERS) {
      agents.push(...(await Promise.all(Array.from({ length: 10 }, () => createAgent(server.url)))));
    }
    const writes = new StatusTally();
    const started = performance.now();
    await Promise.all(
      agents.map(async (agent, writer) => {
        for (let i = 0; i < WRITES_EACH; i++) {
          writes.add(await postMessage(server.url, agent.id, `writer ${writer} burst ${i}`));
        }
      }),
    );
    const writesMs = Math.round(performance.now() - started);
    const opens = new StatusTally();
    const streams = await Promise.all(
      Array.from({ length: STREAM_OPENS }, (_, n) =>
        openSse(`${server.url}/v1/agents/${agents[n % agents.length]?.id}/messages/stream`),
      ),
    );
    for (const stream of streams) {
      opens.add({ status: stream.status, headers: new Headers(stream.headers as Record<string, string>) });
      stream.close();
    }
    const postgresLog = pg.log();
    report(`${WRITERS} concurrent writers x ${WRITES_EACH}, ${STREAM_OPENS} stream opens, 17 sessions`, {
      writes: writes.statuses(),
      writesMs,
      streamOpens: opens.statuses(),
      tooManyClients: postgresLog.split('too many clients').length - 1,
    });
    expect(writes.unexpected(201)).toEqual([]);
    expect(opens.unexpected(200)).toEqual([]);
    expect(writes.count(201)).toBeGreaterThan(0);
    expect(opens.count(200)).toBeGreaterThan(0);
    // PostgreSQL never refused a connection with 53300.
    expect(postgresLog).not.toContain('too many clients');
  }, 120_000);

  it('answers bad input with 422 naming the field, never 500', async () => {
    const agent = await createAgent(server.url);
    const base = `${server.url}/v1/agents/${agent.id}`;
    const cases: Array<[string, Promise<{ status: number }>]> = [
      ['NUL in content', call(`${base}/messages`, { body: { content: 'a\u0000b' } })],
      ['NUL in an agent name', call(`${server.url}/v1/agents`, { body: { name: 'a\u0000b' } })],
      ['NUL in an id', call(`${server.url}/v1/agents/agent-%00`)],
      ['NUL in a cursor', call(`${server.url}/v1/agents?after=a%00b`)],
      ['after=2147483648', call(`${base}/messages?after=2147483648`)],
      ['SSE after=2147483648', call(`${base}/messages/stream?after=2147483648`)],
      [
        'SSE Last-Event-ID 2^31',
        call(`${base}/messages/stream`, { headers: { 'last-event-id': '2147483648' } }),
      ],
      ['a number for content', call(`${base}/messages`, { body: { content: 123 } })],
    ];
    const statuses = Object.fromEntries(
      await Promise.all(cases.map(async ([name, response]) => [name, (await response).status])),
    );
    report('bad input', statuses);
    expect(Object.values(statuses).every((status) => status === 422)).toBe(true);
    // Unknown body fields are ignored, as Letta's pydantic models do.
    expect((await call(`${base}/messages`, { body: { content: 'ok', color: 'red' } })).status).toBe(201);
  });

  it('a retried POST with the same otid returns the first message instead of writing twice', async () => {
    const agent = await createAgent(server.url);
    const url = `${server.url}/v1/agents/${agent.id}/messages`;
    const first = await call<{ message: MessageBody }>(url, { body: { content: 'once', otid: 'otid-1' } });
    const retry = await call<{ message: MessageBody }>(url, { body: { content: 'once', otid: 'otid-1' } });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replay')).toBe('true');
    expect(retry.body.message.id).toBe(first.body.message.id);
    expect((await call<MessageBody[]>(url)).body).toHaveLength(1);
  });

  it('Redis killed: writes answer 503 naming Redis, readiness 503; both recover', async () => {
    const agent = await createAgent(server.url);
    await redis.stop();
    try {
      const write = await postMessage(server.url, agent.id, 'no lock');
      const ready = await call(`${server.url}/v1/ready/`);
      report('Redis killed', { write: write.status, ready: ready.status, body: ready.body });
      expect(write.status).toBe(503);
      expect(write.headers.get('retry-after')).toBe('2');
      expect(write.body).toMatchObject({ reason: 'redis' });
      expect(ready).toMatchObject({ status: 503, body: { status: 'unavailable', reason: 'redis' } });
    } finally {
      await redis.start();
    }
    await until(
      'readiness after Redis is back',
      async () => (await call(`${server.url}/v1/ready/`)).status === 200,
    );
    expect((await postMessage(server.url, agent.id, 'locked again')).status).toBe(201);
  });

  it('PostgreSQL stopped: 503 with Retry-After naming the database, then 201 once it is back', async () => {
    const agent = await createAgent(server.url);
    await pg.stop();
    try {
      const write = await postMessage(server.url, agent.id, 'while stopped');
      const read = await call(`${server.url}/v1/agents/${agent.id}`);
      report('PostgreSQL stopped', { write: write.status, read: read.status, body: write.body });
      expect(write.status).toBe(503);
      expect(write.headers.get('retry-after')).toBe('2');
      expect(write.body).toMatchObject({ reason: 'database', code: 'ERR_DB_UNAVAILABLE' });
      expect(read.status).toBe(503);
      expect(await call(`${server.url}/v1/ready/`)).toMatchObject({
        status: 503,
        body: { reason: 'database' },
      });
    } finally {
      await pg.start();
    }
    await until(
      'a write after the restart',
      async () => (await postMessage(server.url, agent.id, 'back')).status === 201,
    );
  });

  it('PostgreSQL frozen: a write answers 503 within the pool timeout and its retries, not after the freeze', async () => {
    const agent = await createAgent(server.url);
    pg.freeze();
    try {
      const started = performance.now();
      const write = await postMessage(server.url, agent.id, 'while frozen');
      const settledMs = Math.round(performance.now() - started);
      report('PostgreSQL frozen (LETTA_PG_POOL_TIMEOUT=1)', { status: write.status, settledMs });
      expect(write.status).toBe(503);
      expect(write.body).toMatchObject({ reason: 'database' });
      // Three attempts of at most 1 s each, 100 and 200 ms apart, plus slack for a busy machine.
      expect(settledMs).toBeLessThan(3_300 + 2_000);
    } finally {
      pg.thaw();
    }
    await until(
      'a write after the thaw',
      async () => (await postMessage(server.url, agent.id, 'thawed')).status === 201,
    );
  });
});
