import {
  createRedisClient,
  LockReplicationError,
  type RedisAddress,
  type RedisClient,
  RedisConnectionError,
  type RedisLock,
  type RedisOptions,
} from '@letta/redis';
import { freePort, until } from '@test/support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeContract } from './contract';
import { lettaOptions, metricsHarness, recordingLogger } from './fixtures';
import { ask, replicaAcknowledges, type SentinelTopology, startSentinelTopology } from './topology';

/** The pause between a failed call and the next one, so the load does not spin while no primary answers. */
const backOff = () => new Promise((resolve) => setTimeout(resolve, 5));
// Sentinels judge a silent primary down after 1 s; the rest is election, promotion and reconnection.
// The bound is generous for a busy shared machine; docs/redis.md has the figures measured.
const RECOVERY_BOUND_MS = 15_000;

describe('Redis behind Sentinels: one primary, one replica, three Sentinels', () => {
  let topology: SentinelTopology;
  let client: RedisClient;
  const harness = metricsHarness();
  const log = recordingLogger();

  const dataNodes = (): RedisAddress[] =>
    [topology.primary, topology.replica].map(({ port }) => ({ host: '127.0.0.1', port }));
  const options = (): RedisOptions => ({
    sentinels: topology.sentinelAddresses,
    sentinelName: topology.name,
    maxReconnectDelayMs: 200,
    fallback: 'throw',
  });
  const topologyEvents = async () =>
    Object.fromEntries(
      (await harness.collect())
        .get('redis_topology_events_total')
        ?.points.map((point) => [point.attributes.event, point.value]) ?? [],
    );

  beforeAll(async () => {
    topology = await startSentinelTopology({ downAfterMs: 1_000, failoverTimeoutMs: 2_000 });
    client = await createRedisClient(options(), { logger: log.logger, meterProvider: harness.provider });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await harness.shutdown();
    await topology?.stop();
  });

  describe('the RedisClient contract, before a failover', () => {
    describeContract(
      () => createRedisClient(options()),
      (name) => `before:${name}`,
      dataNodes,
    );
  });

  it("finds the primary through Letta's Sentinel past a Sentinel that is down", async () => {
    const own = metricsHarness();
    const down = { host: '127.0.0.1', port: await freePort() };
    const fromSettings = await createRedisClient(
      lettaOptions({
        redisSentinels: [down, ...topology.sentinelAddresses],
        redisSentinelName: topology.name,
      }),
      { meterProvider: own.provider },
    );
    const primary = new Redis(topology.primary.url);
    try {
      expect(fromSettings.isNoop).toBe(false);
      await fromSettings.set('through-sentinels', 'yes');
      expect(await primary.get('through-sentinels')).toBe('yes');
      const events = (await own.collect()).get('redis_topology_events_total')?.points ?? [];
      expect(events).toContainEqual({
        attributes: { 'db.system.name': 'redis', event: 'sentinel_unreachable' },
        value: expect.any(Number),
      });
    } finally {
      primary.disconnect();
      await fromSettings.close();
      await own.shutdown();
    }
  });

  it('recovers on the promoted replica when the primary is killed mid-load, keeping every lock it granted', async () => {
    const granted: RedisLock[] = [];
    const failures = new Set<string>();
    let stopping = false;
    let killedAt = 0;
    let recoveredAt = 0;
    const load = async (worker: number) => {
      for (let i = 0; !stopping; i++) {
        const started = performance.now();
        try {
          if (killedAt === 0 && i % 5 === 0) {
            const lock = await client.acquireLock(`lock:${worker}:${i}`, { ttlMs: 120_000 });
            if (lock) granted.push(lock);
          } else {
            await client.set(`load:${worker}:${i}`, String(i));
          }
          if (killedAt > 0 && started > killedAt && recoveredAt === 0) recoveredAt = performance.now();
        } catch (error) {
          failures.add((error as Error).name);
          await backOff();
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, worker) => load(worker));
    // Kill the primary only once the load runs and holds locks, so the failover has locks to keep.
    await until('locks granted under load', async () => granted.length >= 8, 10_000);
    const old = { host: '127.0.0.1', port: topology.primary.port };
    killedAt = performance.now();
    await topology.primary.stop();
    await until('a write after the kill succeeds', async () => recoveredAt > 0, RECOVERY_BOUND_MS);
    stopping = true;
    await Promise.all(workers);

    expect(recoveredAt - killedAt).toBeLessThan(RECOVERY_BOUND_MS);
    // While no primary answers, calls fail at once with a connection error; nothing else goes wrong.
    expect([...failures]).toEqual(['RedisConnectionError']);
    // The Sentinel asked may learn of the failover a moment after the one that ran it (hello messages).
    await until(
      'the Sentinels name the promoted replica',
      async () => (await topology.currentPrimary()).port === topology.replica.port,
      5_000,
    );
    const promoted = await topology.currentPrimary();
    expect(promoted).toEqual({ host: '127.0.0.1', port: topology.replica.port });
    expect(granted.length).toBeGreaterThan(0);
    const raw = new Redis(promoted);
    try {
      const holders = await Promise.all(granted.map((lock) => raw.get(lock.name)));
      expect(holders).toEqual(granted.map((lock) => lock.token));
    } finally {
      raw.disconnect();
    }
    expect(await topologyEvents()).toMatchObject({ primary_changed: 1 });
    const switched = log.lines.find((line) => line.message.startsWith('Redis primary changed'));
    expect(switched).toMatchObject({
      level: 'warn',
      fields: { from: `127.0.0.1:${old.port}`, to: `127.0.0.1:${promoted.port}` },
    });
  });

  it('refuses locks while no replica is left, and grants them again once the old primary rejoins', async () => {
    const refused = await client.acquireLock('alone', { ttlMs: 30_000 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LockReplicationError);
    expect(refused).toMatchObject({ acknowledged: 0, required: 1 });

    const promoted = await topology.currentPrimary();
    await topology.primary.start();
    await ask({ host: '127.0.0.1', port: topology.primary.port }, 'REPLICAOF', promoted.host, promoted.port);
    await until("the old primary acknowledges the new one's writes", () => replicaAcknowledges(promoted));
    // On a busy machine the rejoined replica may still miss a lock's deadline (lockReplicaTimeoutMs) after
    // its first acknowledgement: such a lock is refused as above, never granted unreplicated.
    const regranted = await until('a lock granted with the old primary back as a replica', () =>
      client.acquireLock('alone', { ttlMs: 30_000 }).catch((error: unknown) => {
        if (error instanceof LockReplicationError) return null;
        throw error;
      }),
    );
    expect(regranted.name).toBe('alone');
  });

  it('says what the Sentinels answered when none knows the master group', async () => {
    const lonely = await createRedisClient({
      sentinels: topology.sentinelAddresses,
      sentinelName: 'no-such-group',
      readyTimeoutMs: 500,
      fallback: 'throw',
    }).catch((error: unknown) => error);
    expect(lonely).toBeInstanceOf(RedisConnectionError);
    expect((lonely as Error).message).toMatch(
      /^Redis at the primary of "no-such-group" \(Sentinels 127\.0\.0\.1:\d+, .*\) was not ready within 500 ms/,
    );
    expect((lonely as Error).message).toContain('No such master with that name');
    expect((lonely as Error).message).toContain('fix LETTA_REDIS_SENTINELS/LETTA_REDIS_SENTINEL_NAME');
  });

  describe('the RedisClient contract, on the promoted replica', () => {
    describeContract(
      () => createRedisClient(options()),
      (name) => `after:${name}`,
      dataNodes,
    );
  });
});
