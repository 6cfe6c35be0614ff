import { createRedisClient, type RedisClient } from '@letta/redis';
import { type RedisServerProcess, requireService, startRedisServer, until } from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/database';
import { agentStreamKey } from '../src/redis-message-fan-out';
import { createAgent, postMessage } from './http';
import { type ServerProcess, startServerProcess } from './server-process';
import { openSse, type SseConnection } from './sse-client';
import { createThrowawayDatabase, realServicesEnv, type ThrowawayDatabase } from './throwaway-database';

const hasPg = await requireService('postgres');
// The suite runs a redis-server of its own; the shared one being up says the binary is installed.
const hasRedis = await requireService('redis');

/** The sequence ids of the messages a stream received, in arrival order. */
const received = (...streams: SseConnection[]) =>
  streams.flatMap((stream) =>
    stream.events.filter((event) => event.event === 'message').map((event) => Number(event.id)),
  );
const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const waitForId = (stream: SseConnection, id: number, timeoutMs = 10_000) =>
  stream.waitFor((event) => event.event === 'message' && event.id === String(id), timeoutMs);

/** Commits a message the way a writer does, but announces nothing, like one killed right after its commit. */
async function commitUnannounced(database: ThrowawayDatabase, agentId: string, sequenceId: number) {
  const engine = await database.open<Database>();
  await engine.db
    .insertInto('messages')
    .values({
      id: `message-unannounced-${agentId}-${sequenceId}`,
      agent_id: agentId,
      organization_id: null,
      run_id: null,
      role: 'user',
      content: `m${sequenceId}`,
      sequence_id: sequenceId,
      created_at: new Date().toISOString(),
    })
    .execute();
}

describe.skipIf(!hasPg || !hasRedis)('SSE streams across instances through Redis', () => {
  let database: ThrowawayDatabase;
  let redisServer: RedisServerProcess;
  let redis: RedisClient;
  let env: Record<string, string>;
  let first: ServerProcess;
  let second: ServerProcess;

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    // A Redis of this suite's own, so it can stop it.
    redisServer = await startRedisServer();
    redis = await createRedisClient({ url: redisServer.url, fallback: 'throw' });
    env = { ...realServicesEnv(database), LETTA_REDIS_PORT: String(redisServer.port) };
    [first, second] = await Promise.all([startServerProcess({ env }), startServerProcess({ env })]);
  });
  afterAll(async () => {
    await Promise.all([first?.cleanup(), second?.cleanup()]);
    await redis?.close();
    await redisServer?.stop();
    await database?.drop();
  });

  it('delivers what either instance commits to streams on both, each message once and in order', async () => {
    const agent = await createAgent(first.url);
    const streams = await Promise.all(
      [first, second].map((server) => openSse(`${server.url}/v1/agents/${agent.id}/messages/stream`)),
    );
    try {
      for (let i = 0; i < 20; i++) {
        const written = await postMessage((i % 2 ? second : first).url, agent.id, `m${i + 1}`);
        expect(written.status).toBe(201);
      }
      for (const stream of streams) {
        await waitForId(stream, 20);
        expect(received(stream)).toEqual(upTo(20));
      }
      // Announced through the agent's Redis stream, in commit order.
      const entries = await redis.xrange(agentStreamKey(agent.id));
      expect(entries.map((entry) => Number(entry.fields.sequenceId))).toEqual(upTo(20));
      for (const server of [first, second]) {
        expect(server.output()).toContain('Reading message announcements from Redis');
      }
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it('resumes on another instance with Last-Event-ID after a SIGKILL, missing and repeating nothing', async () => {
    const doomed = await startServerProcess({ env });
    const agent = await createAgent(first.url);
    const before = await openSse(`${doomed.url}/v1/agents/${agent.id}/messages/stream`);
    for (let i = 1; i <= 3; i++) await postMessage(first.url, agent.id, `m${i}`);
    await waitForId(before, 3);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    await before.ended;
    await doomed.cleanup();
    // Written while the client had no stream.
    for (let i = 4; i <= 6; i++) await postMessage(second.url, agent.id, `m${i}`);

    const lastEventId = before.events.filter((event) => event.event === 'message').at(-1)?.id ?? '0';
    const after = await openSse(`${first.url}/v1/agents/${agent.id}/messages/stream`, {
      'last-event-id': lastEventId,
    });
    try {
      for (let i = 7; i <= 8; i++) await postMessage(second.url, agent.id, `m${i}`);
      await waitForId(after, 8);
      expect(received(before, after)).toEqual(upTo(8));
    } finally {
      after.close();
    }
  });

  it('falls back to the database while Redis is down, and catches up when it is back', async () => {
    const agent = await createAgent(first.url);
    const streams = await Promise.all(
      [first, second].map((server) => openSse(`${server.url}/v1/agents/${agent.id}/messages/stream`)),
    );
    try {
      await postMessage(second.url, agent.id, 'm1');
      for (const stream of streams) await waitForId(stream, 1);

      await redisServer.stop();
      for (const server of [first, second]) {
        await server.waitForOutput(/Reading message announcements from Redis failed/, 10_000);
      }
      // Committed while no announcement can be made (writes through the API need the Redis lock).
      await commitUnannounced(database, agent.id, 2);
      for (const stream of streams) await waitForId(stream, 2);

      await redisServer.start();
      for (const server of [first, second]) {
        await until(
          () => `the fan-out to read from Redis again:\n${server.output()}`,
          () =>
            [...server.output().matchAll(/Reading message announcements from Redis(?! failed)/g)].length > 1,
        );
      }
      // The write lock's connection may still be reconnecting: retry until the write is accepted.
      await until(
        'a write accepted after Redis restarted',
        async () => (await postMessage(first.url, agent.id, 'm3')).status === 201,
        15_000,
        0,
      );
      for (const stream of streams) {
        await waitForId(stream, 3);
        expect(received(stream)).toEqual(upTo(3));
        expect(stream.endedAt()).toBeUndefined();
      }
      // This test's own client reconnects in the background too.
      await until('the test client to reconnect to Redis', () => redis.ping(), 10_000);
      expect((await redis.xrange(agentStreamKey(agent.id))).map((entry) => entry.fields.sequenceId)).toEqual([
        '3',
      ]);
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it('finds a committed message whose announcement was lost, within the sweep interval', async () => {
    const agent = await createAgent(first.url);
    const stream = await openSse(`${second.url}/v1/agents/${agent.id}/messages/stream`);
    try {
      await postMessage(first.url, agent.id, 'm1');
      await waitForId(stream, 1);
      await commitUnannounced(database, agent.id, 2);
      // The sweep runs every 10 s; nothing else would bring message 2 while no other message follows.
      await waitForId(stream, 2, 25_000);
      expect(received(stream)).toEqual(upTo(2));
    } finally {
      stream.close();
    }
  }, 40_000);
});
