import {
  createRedisClient,
  LockReplicationError,
  type RedisClient,
  type RedisOptions,
  RedisTimeoutError,
} from '@letta/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeContract } from './contract';
import { lettaOptions, metricsHarness, recordingLogger } from './fixtures';
import { type ClusterTopology, startCluster } from './topology';

describe('Redis Cluster: three masters made with redis-cli --cluster create', () => {
  let cluster: ClusterTopology;
  let client: RedisClient;
  const harness = metricsHarness();
  const log = recordingLogger();

  const options = (): RedisOptions => ({ clusterNodes: cluster.startupNodes, fallback: 'throw' });
  const slotOf = (key: string) => cluster.slotOf(key);

  beforeAll(async () => {
    cluster = await startCluster(3);
    client = await createRedisClient(lettaOptions({ redisClusterNodes: cluster.startupNodes.slice(0, 1) }), {
      logger: log.logger,
      meterProvider: harness.provider,
    });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await harness.shutdown();
    await cluster?.stop();
  });

  describe('the RedisClient contract', () => {
    describeContract(
      () => createRedisClient(options()),
      (name) => `contract:${name}`,
      () => cluster.startupNodes,
    );
  });

  it('discovers every master from one seed node and spreads keys over them', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `spread:${i}`);
    await Promise.all(keys.map((key) => client.set(key, key)));
    const owners = new Set(
      await Promise.all(keys.map(async (key) => (await cluster.ownerOf(await slotOf(key))).port)),
    );
    expect(owners.size).toBe(3);
    expect(await Promise.all(keys.map((key) => client.get(key)))).toEqual(keys);
    expect(await client.exists(...keys, 'spread:none')).toBe(30);
    expect(await client.delete(...keys.slice(0, 10))).toBe(10);
    expect(await client.exists(...keys)).toBe(20);
  });

  it('reads several streams at once when a hash tag puts them in one slot', async () => {
    const a = '{run-1}:events';
    const b = '{run-1}:steps';
    expect(await slotOf(a)).toBe(await slotOf(b));
    const first = await client.xadd(a, { n: '1' });
    const second = await client.xadd(b, { m: '1' });
    expect(await client.xread({ [a]: '0', [b]: '0' })).toEqual([
      { stream: a, messages: [{ id: first, fields: { n: '1' } }] },
      { stream: b, messages: [{ id: second, fields: { m: '1' } }] },
    ]);
    await expect(client.xread({ 'run-1:events': '0', 'run-2:events': '0' })).rejects.toThrow(/^CROSSSLOT/);
  });

  it('waits for a replica with lockReplicas on a cluster too, refusing the lock when the master has none', async () => {
    const waiting = await createRedisClient({ ...options(), lockReplicas: 1, lockReplicaTimeoutMs: 200 });
    try {
      const refused = await waiting
        .acquireLock('{jobs}:nightly', { ttlMs: 10_000 })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(LockReplicationError);
      expect(refused).toMatchObject({ acknowledged: 0, required: 1 });
      expect(await client.exists('{jobs}:nightly')).toBe(0);
    } finally {
      await waiting.close();
    }
  });

  it('times out a command on a stalled node within commandTimeoutMs, while the other nodes answer', async () => {
    const commandTimeoutMs = 300;
    const timing = await createRedisClient({ ...options(), commandTimeoutMs });
    const stalled = await cluster.ownerOf(await slotOf('{stalled}'));
    const admin = new Redis({ ...stalled, maxRetriesPerRequest: 0 });
    try {
      await timing.set('{stalled}:key', 'value');
      await admin.client('PAUSE', 1_500, 'WRITE');
      const started = performance.now();
      const error = await timing.incr('{stalled}:counter').catch((failure: unknown) => failure);
      const ms = performance.now() - started;
      console.log(`INCR on the paused node failed after ${Math.round(ms)} ms: ${(error as Error).message}`);
      expect(error).toBeInstanceOf(RedisTimeoutError);
      expect(ms).toBeGreaterThanOrEqual(commandTimeoutMs - 5);
      expect(ms).toBeLessThan(1_500);
      let elsewhere = 0;
      while ((await cluster.ownerOf(await slotOf(`other:${elsewhere}`))).port === stalled.port) elsewhere++;
      expect(await timing.set(`other:${elsewhere}`, 'served while the other node is paused')).toBe(true);
    } finally {
      await admin.ping();
      admin.disconnect();
      await timing.close();
    }
  });

  it('follows a slot migration: ASK while it runs and MOVED after, for every kind of call', async () => {
    const tag = '{moving}';
    const key = (name: string) => `${tag}:${name}`;
    const slot = await slotOf(tag);
    const from = await cluster.ownerOf(slot);
    const to = cluster.startupNodes.find((node) => node.port !== from.port) ?? from;

    await client.set(key('a'), 'A');
    await client.set(key('b'), 'B');
    await client.sadd(key('set'), 'x', 'y');
    const firstEntry = await client.xadd(key('stream'), { at: 'before' });
    const lock = await client.acquireLock(key('lock'), { ttlMs: 60_000 });

    const migration = await cluster.migrate(slot, to);
    await migration.move(key('a'), key('set'), key('stream'));
    const oldOwner = new Redis({ ...from, maxRetriesPerRequest: 0 });
    await expect(oldOwner.get(key('a'))).rejects.toThrow(/^ASK /);
    // Moved keys answer through ASK; the rest still from the old owner; new keys land on the new one.
    expect(await client.get(key('a'))).toBe('A');
    expect(await client.get(key('b'))).toBe('B');
    expect(await client.set(key('new'), 'N')).toBe(true);
    expect(await client.smismember(key('set'), ['x', 'z'])).toEqual([true, false]);
    const during = await client.xadd(key('stream'), { at: 'during' });
    expect((await client.xrange(key('stream'))).map((entry) => entry.id)).toEqual([firstEntry, during]);
    expect(await client.xread({ [key('stream')]: firstEntry }, { block: 1_000 })).toEqual([
      { stream: key('stream'), messages: [{ id: during, fields: { at: 'during' } }] },
    ]);
    expect(await client.acquireLock(key('lock'), { ttlMs: 60_000 })).toBeNull();
    const second = await client.acquireLock(key('second-lock'), { ttlMs: 60_000 });
    expect(second).not.toBeNull();

    await migration.finish();
    expect(await cluster.ownerOf(slot)).toEqual(to);
    await expect(oldOwner.get(key('b'))).rejects.toThrow(/^MOVED /);
    oldOwner.disconnect();
    expect(await client.get(key('b'))).toBe('B');
    expect(await client.get(key('new'))).toBe('N');
    expect(await client.xlen(key('stream'))).toBe(2);
    expect(await client.exists(key('a'), key('b'), key('set'), key('lock'))).toBe(4);
    expect(await lock?.extend(30_000)).toBe(true);
    expect(await lock?.release()).toBe(true);
    expect(await second?.release()).toBe(true);

    const events = (await harness.collect()).get('redis_topology_events_total')?.points ?? [];
    expect(events).toContainEqual({
      attributes: { 'db.system.name': 'redis', event: 'slot_map_changed' },
      value: expect.any(Number),
    });
    expect(events).toContainEqual({
      attributes: { 'db.system.name': 'redis', event: 'node_added' },
      value: 3,
    });
    expect(log.lines).toContainEqual({
      level: 'info',
      fields: expect.objectContaining({ movedSlots: 1 }),
      message: 'Redis Cluster slots moved to other nodes; the client follows the new slot map',
    });
  });
});
