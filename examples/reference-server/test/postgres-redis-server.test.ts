import { requireService } from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createAgent, type MessageBody, postMessage } from './http';
import { type ServerProcess, startServerProcess } from './server-process';
import { openSse } from './sse-client';
import { createThrowawayDatabase, realServicesEnv, type ThrowawayDatabase } from './throwaway-database';

const hasPg = await requireService('postgres');
const hasRedis = await requireService('redis');

interface Rows {
  messages: { id: string; agent_id: string; sequence_id: number };
}

describe.skipIf(!hasPg || !hasRedis)('reference server on PostgreSQL and Redis', () => {
  let database: ThrowawayDatabase;
  let first: ServerProcess;
  let second: ServerProcess;

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    // Two instances on one database, as behind a load balancer; both run the migrations.
    [first, second] = await Promise.all([
      startServerProcess({ env: realServicesEnv(database) }),
      startServerProcess({ env: realServicesEnv(database) }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([first?.cleanup(), second?.cleanup()]);
    await database?.drop();
  });

  it('reports Postgres, real Redis and the Redis write lock', () => {
    for (const server of [first, second]) {
      expect(server.output()).toMatch(/database: postgres, redis: [^,]+:\d+, writes: redis lock/);
    }
  });

  it('answers every route', async () => {
    expect(await call(`${first.url}/v1/health/`)).toMatchObject({ status: 200 });
    expect(await call(`${first.url}/v1/ready/`)).toMatchObject({ status: 200, body: { status: 'ready' } });
    const metrics = await call<string>(`${first.url}/metrics`);
    expect(metrics.body).toMatch(/^db_client_connection_count\{.*db_client_connection_state="idle"/m);
    expect(metrics.body).toMatch(/^db_client_connection_max\{.*\} 4$/m);

    const agent = await createAgent(first.url, 'pg agent');
    expect(await call(`${second.url}/v1/agents/${agent.id}`)).toMatchObject({ status: 200, body: agent });
    const written = await postMessage(second.url, agent.id, 'hello');
    expect(written.status).toBe(201);
    const listed = await call<MessageBody[]>(`${first.url}/v1/agents/${agent.id}/messages`);
    expect(listed.body.map((message) => message.content)).toEqual(['hello']);
    expect(await call(`${first.url}/v1/runs/${written.body.run.id}`)).toMatchObject({
      status: 200,
      body: { status: 'completed', messages: [{ id: written.body.message.id }] },
    });
  });

  it('serialises writes to one agent across two instances with the Redis lock', async () => {
    const agent = await createAgent(first.url);
    const writes = Array.from({ length: 30 }, (_, i) =>
      postMessage(i % 2 ? first.url : second.url, agent.id, `m${i}`),
    );
    const results = await Promise.all(writes);
    expect(results.map((result) => result.status)).toEqual(results.map(() => 201));
    const sequence = results.map((result) => result.body.message.sequenceId).sort((a, b) => a - b);
    expect(sequence).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));

    const engine = await database.open<Rows>();
    const rows = await engine.db
      .selectFrom('messages')
      .select('sequence_id')
      .where('agent_id', '=', agent.id)
      .execute();
    expect(rows).toHaveLength(30);
  });

  it('streams a message written on the other instance', async () => {
    const agent = await createAgent(first.url);
    const stream = await openSse(`${first.url}/v1/agents/${agent.id}/messages/stream`);
    try {
      await stream.waitFor((event) => event.event === 'comment');
      await postMessage(second.url, agent.id, 'from the other instance');
      const event = await stream.waitFor((received) => received.event === 'message');
      expect(JSON.parse(event.data)).toMatchObject({ content: 'from the other instance', sequenceId: 1 });
    } finally {
      stream.close();
    }
  });

  it('goes unready (503) when the database stops answering, and ready again when it is back', async () => {
    await database.refuseConnections();
    try {
      const ready = await call(`${second.url}/v1/ready/`);
      expect(ready).toMatchObject({ status: 503, body: { status: 'unavailable', reason: 'database' } });
      expect((await call(`${second.url}/v1/health/`)).status).toBe(200);
    } finally {
      await database.allowConnections();
    }
    expect(await call(`${second.url}/v1/ready/`)).toMatchObject({ status: 200 });
  });
});
