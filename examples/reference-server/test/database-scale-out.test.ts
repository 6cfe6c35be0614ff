import { requireService, until } from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/database';
import { migrateToLatest } from '../src/migrations';
import { type AgentBody, call, createAgent, postMessage } from './http';
import { type ServerProcess, startServerProcess } from './server-process';
import { openSse } from './sse-client';
import { createThrowawayDatabase, postgresEnv, type ThrowawayDatabase } from './throwaway-database';

const hasPg = await requireService('postgres');

describe.skipIf(!hasPg)('connection budget, database health and read routing on PostgreSQL', () => {
  let primary: ThrowawayDatabase;
  let replica: ThrowawayDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    [primary, replica] = await Promise.all([createThrowawayDatabase(), createThrowawayDatabase()]);
    // The "replica" is a database of its own with different rows, so each read shows where it went.
    const replicaEngine = await replica.open<Database>();
    await migrateToLatest(replicaEngine.db, replicaEngine.kind);
    await replicaEngine.db
      .insertInto('agents')
      .values({
        id: 'agent-on-replica',
        organization_id: null,
        name: 'replica',
        created_at: new Date().toISOString(),
      })
      .execute();
    server = await startServerProcess({
      env: { ...postgresEnv(primary), LETTA_PG_REPLICA_URIS: replica.uri },
      args: ['--instances', '30'],
    });
  });
  afterAll(async () => {
    await server?.cleanup();
    await Promise.all([primary?.drop(), replica?.drop()]);
  });

  it('warns at startup when the instances can exhaust max_connections', () => {
    expect(server.output()).toMatch(
      /WARNING - database connection budget exceeded: .*\{"pool":"core","instances":30,"perInstance":4,.*"needed":120\}/,
    );
  });

  it('serves the database health gauges on /metrics', async () => {
    // The monitor's first round runs in the background from startup.
    const body = await until(
      'letta_db_up on /metrics',
      async () => {
        const page = (await call<string>(`${server.url}/metrics`)).body;
        return /^letta_db_up/m.test(page) && page;
      },
      5_000,
      100,
    );
    expect(body).toMatch(/^letta_db_up\{.*\} 1$/m);
    expect(body).toMatch(/^letta_db_replica_healthy\{.*\} 1$/m);
    expect(body).toMatch(/^letta_db_connections_max\{.*\} \d+$/m);
    expect(body).toMatch(new RegExp(`^letta_db_cache_hit_ratio\\{db_namespace="${primary.name}",`, 'm'));
    expect(body).toMatch(/^letta_db_transaction_max_duration\{/m);
    expect(body).toMatch(/^letta_db_lock_waiting\{/m);
    for (const table of ['agents', 'messages', 'runs']) {
      expect(body).toMatch(
        new RegExp(`^letta_db_table_dead_tuple_ratio\\{.*db_collection_name="public.${table}"`, 'm'),
      );
    }
  });

  it('lists agents and messages through the replica, and reads what was just written from the primary', async () => {
    const agent = await createAgent(server.url, 'on the primary');
    const listed = await call<AgentBody[]>(`${server.url}/v1/agents`);
    expect(listed.body.map((listedAgent) => listedAgent.id)).toEqual(['agent-on-replica']);
    expect(await call(`${server.url}/v1/agents/${agent.id}`)).toMatchObject({ status: 200, body: agent });

    const stream = await openSse(`${server.url}/v1/agents/${agent.id}/messages/stream`);
    try {
      const written = await postMessage(server.url, agent.id, 'hello');
      expect(written.status).toBe(201);
      const event = await stream.waitFor((received) => received.event === 'message');
      expect(JSON.parse(event.data)).toMatchObject({ content: 'hello' });
      expect(await call(`${server.url}/v1/runs/${written.body.run.id}`)).toMatchObject({ status: 200 });
      expect((await call(`${server.url}/v1/agents/${agent.id}/messages`)).body).toEqual([]);
    } finally {
      stream.close();
    }
  });
});
