import http from 'node:http';
import { connect } from 'node:net';
import { requireService, until } from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createAgent, postMessage } from './http';
import { CLOSE_ORDER, closedComponents, type ServerProcess, startServerProcess } from './server-process';
import { openSse } from './sse-client';
import { createThrowawayDatabase, realServicesEnv, type ThrowawayDatabase } from './throwaway-database';

const hasPg = await requireService('postgres');
const hasRedis = await requireService('redis');

/** SIGTERM must end the process within 10 s; the bound leaves slack for a busy machine. */
const EXIT_WITHIN_MS = 10_000;

async function terminate(server: ServerProcess) {
  const started = performance.now();
  server.child.kill('SIGTERM');
  const exit = await server.exited;
  return { ...exit, elapsedMs: performance.now() - started };
}

/**
 * Writes to one agent from `workers` concurrent clients until the server stops answering; resolves with
 * the ids of the messages the server acknowledged (201).
 */
function writeUntilRefused(url: string, agentId: string, workers: number) {
  const acknowledged: string[] = [];
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  let refused = 0;
  const acknowledge = (id: string) => {
    acknowledged.push(id);
    for (const waiter of waiting.filter((w) => acknowledged.length >= w.count)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const worker = async (n: number) => {
    for (let i = 0; ; i++) {
      try {
        const response = await postMessage(url, agentId, `w${n}-${i}`);
        if (response.status === 201) acknowledge(response.body.message.id);
        else if (response.status !== 503) throw new Error(`unexpected status ${response.status}`);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('unexpected')) throw error;
        refused++;
        return;
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, (_, n) => worker(n)));
  /** Resolves once `count` writes were acknowledged; rejects if the writers stop first. */
  const acknowledgedAtLeast = (count: number) =>
    new Promise<void>((resolve, reject) => {
      if (acknowledged.length >= count) return resolve();
      waiting.push({ count, resolve });
      done.then(
        () =>
          reject(
            new Error(`the writers stopped after ${acknowledged.length} of ${count} acknowledged writes`),
          ),
        reject,
      );
    });
  return { acknowledged, acknowledgedAtLeast, done: done.then(() => ({ acknowledged, refused })) };
}

/** Whether a new connection to `port` is refused: the server has closed its listener. */
function refused(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('SIGTERM on embedded defaults', () => {
  it('ends open SSE streams with a shutdown event and exits 0 within 10 s', async () => {
    const server = await startServerProcess();
    try {
      const agent = await createAgent(server.url);
      const stream = await openSse(`${server.url}/v1/agents/${agent.id}/messages/stream`);
      const { code, elapsedMs } = await terminate(server);
      expect(code, server.output()).toBe(0);
      expect(elapsedMs).toBeLessThan(EXIT_WITHIN_MS);
      await stream.ended;
      expect(stream.events.map((event) => event.event)).toContain('shutdown');
    } finally {
      await server.cleanup();
    }
  });

  it('answers a request on a kept-alive connection with Connection: close once the listener has closed', async () => {
    const server = await startServerProcess({ env: { DRAIN_DELAY: '0' } });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; connection: string | undefined; port: number | undefined }>(
        (resolve, reject) => {
          const request = http.get(`${server.url}/v1/health/`, { agent }, (response) => {
            response.resume();
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                connection: response.headers.connection,
                port: request.socket?.localPort,
              }),
            );
          });
          request.on('error', reject);
        },
      );
    try {
      const before = await get();
      expect(before).toMatchObject({ status: 200, connection: 'keep-alive' });
      const started = performance.now();
      server.child.kill('SIGTERM');
      const { port } = new URL(server.url);
      await until('the listener to close', () => refused(Number(port)), EXIT_WITHIN_MS, 20);
      const during = await get();
      console.log(`kept-alive connection after the listener closed: ${JSON.stringify({ before, during })}`);
      expect(during).toEqual({ status: 200, connection: 'close', port: before.port });
      const { code } = await server.exited;
      expect(code, server.output()).toBe(0);
      // The peer's connection ended with that response, so nothing was left for the deadline to close.
      expect(server.output()).not.toMatch(/still open at the shutdown deadline/);
      expect(performance.now() - started).toBeLessThan(EXIT_WITHIN_MS);
    } finally {
      agent.destroy();
      await server.cleanup();
    }
  });

  it('loses no acknowledged write to SQLite', async () => {
    const server = await startServerProcess();
    const home = server.home;
    const agent = await createAgent(server.url);
    const load = writeUntilRefused(server.url, agent.id, 6);
    await load.acknowledgedAtLeast(20);
    const { code, elapsedMs } = await terminate(server);
    const { acknowledged } = await load.done;
    expect(code, server.output()).toBe(0);
    expect(elapsedMs).toBeLessThan(EXIT_WITHIN_MS);

    // The same data directory, served again: every acknowledged message is there.
    const again = await startServerProcess({ home });
    try {
      const stored: Array<{ id: string; sequenceId: number }> = [];
      for (let after = 0; ; ) {
        const page = await call<typeof stored>(
          `${again.url}/v1/agents/${agent.id}/messages?limit=100&after=${after}`,
        );
        if (page.body.length === 0) break;
        stored.push(...page.body);
        after = page.body.at(-1)?.sequenceId ?? after;
      }
      expect(new Set(stored.map((message) => message.id))).toEqual(new Set(acknowledged));
    } finally {
      await again.cleanup();
      await server.cleanup();
    }
  });
});

describe.skipIf(!hasPg || !hasRedis)('SIGTERM on PostgreSQL and Redis', () => {
  let database: ThrowawayDatabase;

  beforeAll(async () => {
    database = await createThrowawayDatabase();
  });
  afterAll(() => database?.drop());

  it('drains in-flight writes and an open stream, exits 0 within 10 s, and loses no acknowledged row', async () => {
    const server = await startServerProcess({ env: realServicesEnv(database) });
    try {
      const agent = await createAgent(server.url);
      const stream = await openSse(`${server.url}/v1/agents/${agent.id}/messages/stream`);
      const load = writeUntilRefused(server.url, agent.id, 8);
      await load.acknowledgedAtLeast(30);

      const { code, elapsedMs } = await terminate(server);
      const { acknowledged } = await load.done;
      expect(code, server.output()).toBe(0);
      expect(elapsedMs).toBeLessThan(EXIT_WITHIN_MS);
      await stream.ended;
      expect(stream.events.at(-1)?.event).toBe('shutdown');
      expect(closedComponents(server)).toEqual(CLOSE_ORDER);

      const engine = await database.open<{
        messages: { id: string; agent_id: string; sequence_id: number };
      }>();
      const rows = await engine.db
        .selectFrom('messages')
        .select(['id', 'sequence_id'])
        .where('agent_id', '=', agent.id)
        .orderBy('sequence_id')
        .execute();
      const stored = new Set(rows.map((row) => row.id));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      // Every committed row was acknowledged: the drain let each in-flight write answer.
      expect(rows).toHaveLength(acknowledged.length);
      expect(rows.map((row) => row.sequence_id)).toEqual(rows.map((_, i) => i + 1));
    } finally {
      await server.cleanup();
    }
  });
});
