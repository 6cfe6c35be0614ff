import { createRedisClient, LockBusyError, type RedisClient, RedisOptionsError } from '@letta/redis';
import { requireService, startRedisServer, testRedisUrl, until } from '@test/support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyspace, optionsFor } from './fixtures';

const hasRedis = await requireService('redis');
const keys = keyspace('locks');
const k = keys.key;

describe.skipIf(!hasRedis)('locks between clients', () => {
  let alice: RedisClient;
  let bob: RedisClient;
  let raw: Redis;

  beforeAll(async () => {
    alice = await createRedisClient({ ...optionsFor(), fallback: 'throw' });
    bob = await createRedisClient({ ...optionsFor(), fallback: 'throw' });
    raw = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    await Promise.all([alice.close(), bob.close()]);
    raw.disconnect();
    await keys.cleanup();
  });

  it('grants a lock to one client at a time', async () => {
    const name = k('contended');
    const held = await alice.acquireLock(name, { ttlMs: 5_000, token: 'alice' });
    expect(held?.token).toBe('alice');
    expect(await bob.acquireLock(name, { ttlMs: 5_000, token: 'bob' })).toBeNull();
    expect(await held?.release()).toBe(true);
    const taken = await bob.acquireLock(name, { ttlMs: 5_000, token: 'bob' });
    expect(taken?.token).toBe('bob');
    await taken?.release();
  });

  it('lets exactly one of many simultaneous attempts win', async () => {
    const name = k('race');
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? alice : bob).acquireLock(name, { ttlMs: 5_000 })),
    );
    expect(attempts.filter((lock) => lock !== null)).toHaveLength(1);
  });

  it("refuses a stale holder's release and extend once another holder took over", async () => {
    const name = k('stale');
    const stale = await alice.acquireLock(name, { ttlMs: 100, token: 'alice' });
    expect(stale).not.toBeNull();
    await until('the stale lock expires', async () => (await raw.exists(name)) === 0, 5_000);
    const fresh = await bob.acquireLock(name, { ttlMs: 5_000, token: 'bob' });
    expect(fresh).not.toBeNull();
    expect(await stale?.release()).toBe(false);
    expect(await stale?.extend(10_000)).toBe(false);
    expect(await raw.get(name)).toBe('bob');
    expect(await raw.pttl(name)).toBeLessThanOrEqual(5_000);
    expect(await fresh?.extend(20_000)).toBe(true);
    expect(await raw.pttl(name)).toBeGreaterThan(5_000);
  });

  it('holds a conversation lock for 300 s and names the holder when busy', async () => {
    const conversation = k('conversation');
    const lock = await alice.acquireConversationLock(conversation, 'run-alice');
    expect(lock?.name).toBe(`conversation:lock:${conversation}`);
    expect(await raw.pttl(`conversation:lock:${conversation}`)).toBeGreaterThan(299_000);
    const busy = await bob.acquireConversationLock(conversation, 'run-bob').catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(LockBusyError);
    expect(busy).toMatchObject({
      code: 'ERR_LOCK_BUSY',
      reason: 'CONVERSATION_BUSY',
      holderToken: 'run-alice',
      lockName: `conversation:lock:${conversation}`,
    });
    expect((busy as Error).message).toMatch(/is busy.*300 s/);
    expect(await bob.releaseConversationLock(conversation, 'run-bob')).toBe(false);
    expect(await raw.get(`conversation:lock:${conversation}`)).toBe('run-alice');
    expect(await bob.releaseConversationLock(conversation, 'run-alice')).toBe(true);
    expect(await raw.exists(`conversation:lock:${conversation}`)).toBe(0);
  });

  it('holds a memory-repository lock for 60 s and names the holder when busy', async () => {
    const agent = k('agent');
    const lock = await alice.acquireMemoryRepoLock(agent);
    expect(lock?.token).toMatch(/^[0-9a-f-]{36}$/);
    expect(await raw.pttl(`memory_repo:lock:${agent}`)).toBeGreaterThan(59_000);
    expect(await raw.pttl(`memory_repo:lock:${agent}`)).toBeLessThanOrEqual(60_000);
    await expect(bob.acquireMemoryRepoLock(agent)).rejects.toMatchObject({
      name: 'LockBusyError',
      code: 'ERR_LOCK_BUSY',
      reason: 'MEMORY_REPO_BUSY',
      holderToken: lock?.token,
    });
    expect(await alice.releaseMemoryRepoLock(agent, lock?.token ?? '')).toBe(true);
    expect(await bob.acquireMemoryRepoLock(agent)).not.toBeNull();
  });

  it('rejects a lock lifetime that is not a positive whole number of milliseconds', async () => {
    await expect(alice.acquireLock(k('bad'), { ttlMs: 0 })).rejects.toThrow(RedisOptionsError);
    await expect(alice.acquireLock(k('bad'), { ttlMs: 1.5 })).rejects.toThrow(
      /ttlMs must be a positive integer/,
    );
    const lock = await alice.acquireLock(k('bad'), { ttlMs: 1_000 });
    await expect(lock?.extend(-1)).rejects.toThrow(RedisOptionsError);
    await lock?.release();
  });
});

describe('lock scripts after the server forgot them', () => {
  it('falls back from EVALSHA to EVAL', async () => {
    const server = await startRedisServer();
    const client = await createRedisClient({ host: '127.0.0.1', port: server.port, fallback: 'throw' });
    const raw = new Redis(server.url);
    try {
      const first = await client.acquireLock('job', { ttlMs: 5_000 });
      expect(first).not.toBeNull();
      await raw.script('FLUSH');
      expect(await first?.release()).toBe(true);
      await raw.script('FLUSH');
      expect(await client.acquireLock('job', { ttlMs: 5_000 })).not.toBeNull();
    } finally {
      raw.disconnect();
      await client.close();
      await server.stop();
    }
  });
});
