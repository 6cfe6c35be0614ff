import { setTimeout as sleep } from 'node:timers/promises';
import { createRedisClient, type RedisClient } from '@letta/redis';
import { requireProgram, requireService, startRedisServer, testRedisUrl } from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentBusyError,
  type AgentWriteLock,
  inProcessAgentLock,
  redisAgentLock,
} from '../src/agent-write-lock';

const hasRedis = await requireService('redis');
const hasRedisServer = requireProgram('redis-server', 'apt-get install redis-server') !== null;

const unexpected = (agentId: string, error: unknown) => {
  throw new Error(`the lock of ${agentId} failed to release: ${String(error)}`);
};

/** Runs `writers` overlapping critical sections on one agent; returns the most that ever overlapped. */
async function maxOverlap(locks: AgentWriteLock[], agentId: string, writers: number): Promise<number> {
  let inside = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: writers }, (_, i) =>
      locks[i % locks.length]?.run(agentId, async () => {
        inside++;
        most = Math.max(most, inside);
        // A section that spans a few event-loop turns, as a real write does, so an overlap could show.
        await sleep(2);
        inside--;
      }),
    ),
  );
  return most;
}

describe('in-process agent lock', () => {
  it('runs writers of one agent one at a time, and of different agents side by side', async () => {
    const lock = inProcessAgentLock();
    expect(await maxOverlap([lock], 'agent-a', 10)).toBe(1);

    // Each section waits for the other to be inside too: this finishes only if the two run side by side.
    let bothInside: () => void = () => {};
    const together = new Promise<void>((resolve) => {
      bothInside = resolve;
    });
    let inside = 0;
    const section = async () => {
      if (++inside === 2) bothInside();
      await together;
    };
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error('the writers of two agents did not run side by side')),
        5_000,
      ).unref(),
    );
    await Promise.race([Promise.all([lock.run('agent-a', section), lock.run('agent-b', section)]), timeout]);
    expect(inside).toBe(2);
  });

  it('keeps going after a writer fails, and passes the failure to that writer only', async () => {
    const lock = inProcessAgentLock();
    const failing = lock.run('agent-a', async () => {
      throw new Error('boom');
    });
    const next = lock.run('agent-a', async () => 'ok');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});

describe.skipIf(!hasRedis)('Redis agent lock', () => {
  const clients: RedisClient[] = [];
  const agentId = `agent-locktest-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    const { hostname, port } = new URL(testRedisUrl());
    for (let i = 0; i < 2; i++) {
      clients.push(
        await createRedisClient({ host: hostname, port: Number(port) || 6379, fallback: 'throw' }),
      );
    }
  });
  afterAll(async () => {
    await clients[0]?.delete(`agent:write:${agentId}`);
    await Promise.all(clients.map((client) => client.close()));
  });

  it('serialises writers that hold different clients, as two instances would', async () => {
    const locks = clients.map((client) =>
      redisAgentLock(client, { ttlMs: 5_000, waitMs: 5_000, onReleaseFailed: unexpected }),
    );
    expect(await maxOverlap(locks, agentId, 12)).toBe(1);
    expect(await clients[0]?.exists(`agent:write:${agentId}`)).toBe(0);
  });

  it('gives up with AgentBusyError when the lock stays taken', async () => {
    const held = await clients[0]?.acquireLock(`agent:write:${agentId}`, { ttlMs: 5_000 });
    try {
      const lock = redisAgentLock(clients[1] as RedisClient, {
        ttlMs: 5_000,
        waitMs: 100,
        onReleaseFailed: unexpected,
      });
      await expect(lock.run(agentId, async () => 'never')).rejects.toThrow(AgentBusyError);
      await expect(lock.run(agentId, async () => 'never')).rejects.toThrow(
        `Agent ${agentId} is busy: another write held its lock for more than 100 ms. Retry the request.`,
      );
    } finally {
      await held?.release();
    }
  });
});

describe.skipIf(!hasRedisServer)('Redis agent lock when Redis dies during the write', () => {
  it('returns the committed result and reports the failed release instead of throwing it', async () => {
    const server = await startRedisServer();
    const client = await createRedisClient({ host: '127.0.0.1', port: server.port, fallback: 'throw' });
    const failures: string[] = [];
    const lock = redisAgentLock(client, {
      ttlMs: 5_000,
      waitMs: 1_000,
      onReleaseFailed: (agentId) => failures.push(agentId),
    });
    try {
      const result = await lock.run('agent-release', async () => {
        await server.stop();
        return 'committed';
      });
      expect(result).toBe('committed');
      expect(failures).toEqual(['agent-release']);
    } finally {
      await client.close();
    }
  });
});
