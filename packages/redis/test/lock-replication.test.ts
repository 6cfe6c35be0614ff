import { createRedisClient, LockReplicationError, type RedisClient, RedisTimeoutError } from '@letta/redis';
import { type RedisServerProcess, startRedisServer, until } from '@test/support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReplicatedPair, startReplicatedPair } from './topology';

const TIMEOUT_MS = 300;

describe('locks that wait for a replica (lockReplicas)', () => {
  let pair: ReplicatedPair;
  let primary: RedisServerProcess;
  let replica: RedisServerProcess;
  let client: RedisClient;
  let raw: Redis;

  beforeAll(async () => {
    pair = await startReplicatedPair();
    ({ primary, replica } = pair);
    client = await createRedisClient({
      host: '127.0.0.1',
      port: primary.port,
      lockReplicas: 1,
      lockReplicaTimeoutMs: TIMEOUT_MS,
      fallback: 'throw',
    });
    raw = new Redis(primary.url);
  });
  afterAll(async () => {
    raw.disconnect();
    await client.close();
    await pair.stop();
  });

  it('grants a lock once the replica has it', async () => {
    const lock = await client.acquireLock('granted', { ttlMs: 30_000, token: 'holder' });
    expect(lock?.token).toBe('holder');
    const onReplica = new Redis(replica.url);
    try {
      expect(await onReplica.get('granted')).toBe('holder');
    } finally {
      onReplica.disconnect();
    }
    expect(await client.acquireLock('granted', { ttlMs: 30_000 })).toBeNull();
    expect(await lock?.extend(60_000)).toBe(true);
    expect(await lock?.release()).toBe(true);
  });

  it('keeps other commands flowing while a lock waits for the replica', async () => {
    await replica.stop();
    const patient = await createRedisClient({
      host: '127.0.0.1',
      port: primary.port,
      lockReplicas: 1,
      lockReplicaTimeoutMs: 1_500,
      fallback: 'throw',
    });
    try {
      let settled = false;
      const locking = patient.acquireLock('waiting', { ttlMs: 30_000 }).catch((error: unknown) => error);
      void locking.finally(() => {
        settled = true;
      });
      await patient.set('meanwhile', 'yes');
      expect(await patient.get('meanwhile')).toBe('yes');
      expect(settled).toBe(false);
      expect(await locking).toBeInstanceOf(LockReplicationError);
    } finally {
      await patient.close();
    }
  });

  it('refuses, and releases, a lock no replica acknowledged', async () => {
    await replica.stop();
    const error = await client
      .acquireLock('unreplicated', { ttlMs: 30_000 })
      .catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(LockReplicationError);
    expect(error).toMatchObject({ lockName: 'unreplicated', acknowledged: 0, required: 1 });
    expect((error as Error).message).toBe(
      'Lock unreplicated was written, but 0 of the 1 replica(s) required (lockReplicas) acknowledged the ' +
        `lock within ${TIMEOUT_MS} ms (lockReplicaTimeoutMs), so it was released again and is not granted. ` +
        'Check the replicas (INFO replication), raise lockReplicaTimeoutMs, or set lockReplicas: 0 to ' +
        'accept locks that only the primary holds.',
    );
    expect(await raw.exists('unreplicated')).toBe(0);
    await expect(client.acquireConversationLock('c-1', 'run-1')).rejects.toThrow(LockReplicationError);
    expect(await raw.exists('conversation:lock:c-1')).toBe(0);
  });

  it('reports an extension no replica acknowledged, which still holds on the primary', async () => {
    await replica.start();
    await until('replica back in sync', pair.inSync);
    const lock = await client.acquireLock('extended', { ttlMs: 30_000 });
    await replica.stop();
    const error = await lock?.extend(90_000).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(LockReplicationError);
    expect((error as Error).message).toMatch(/so it holds on the primary, but after a failover the lock may/);
    expect(await raw.pttl('extended')).toBeGreaterThan(60_000);
    expect(await lock?.release()).toBe(true);
  });

  it('gives the wait a deadline of lockReplicaTimeoutMs plus the command timeout', async () => {
    const paused = await createRedisClient({
      host: '127.0.0.1',
      port: primary.port,
      lockReplicas: 1,
      lockReplicaTimeoutMs: TIMEOUT_MS,
      commandTimeoutMs: 200,
      fallback: 'throw',
    });
    try {
      await raw.client('PAUSE', 800, 'ALL');
      const error = await paused
        .acquireLock('stalled', { ttlMs: 30_000 })
        .catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(RedisTimeoutError);
      expect(error).toMatchObject({ command: 'WAIT', timeoutMs: TIMEOUT_MS + 200 });
      expect((error as Error).message).toMatch(/lockReplicaTimeoutMs plus commandTimeoutMs/);
    } finally {
      await raw.client('UNPAUSE');
      await paused.close();
    }
  });
});

describe('locks without lockReplicas', () => {
  it('are granted by the primary alone (the default without Sentinels)', async () => {
    const server = await startRedisServer();
    const client = await createRedisClient({ host: '127.0.0.1', port: server.port, fallback: 'throw' });
    try {
      const lock = await client.acquireLock('solo', { ttlMs: 5_000 });
      expect(lock).not.toBeNull();
      expect(await lock?.extend(10_000)).toBe(true);
    } finally {
      await client.close();
      await server.stop();
    }
  });
});
