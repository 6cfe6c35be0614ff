import { createRedisClient } from '@letta/redis';
import { DiagLogLevel, diag, metrics } from '@opentelemetry/api';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { requireService, startRedisServer } from '@test/support';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { keyspace, metricsHarness, optionsFor } from './fixtures';

const hasRedis = await requireService('redis');
const keys = keyspace('metrics');
const k = keys.key;

describe.skipIf(!hasRedis)('metrics through @opentelemetry/api', () => {
  afterEach(() => {
    metrics.disable();
    vi.restoreAllMocks();
  });
  afterAll(() => keys.cleanup());

  it('defines each instrument once, so the SDK reports no conflicting definitions', async () => {
    const warnings: string[] = [];
    const record = (message: string) => warnings.push(message);
    diag.setLogger(
      { error: record, warn: record, info() {}, debug() {}, verbose() {} },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
    const harness = metricsHarness();
    const client = await createRedisClient(
      { ...optionsFor(), fallback: 'throw' },
      { meterProvider: harness.provider },
    );
    try {
      await client.get(k('conflict-probe'));
      await harness.collect();
      expect(warnings).toEqual([]);
    } finally {
      diag.disable();
      await client.close();
      await harness.shutdown();
    }
  });

  it('records each command in db.client.operation.duration, without keys or values', async () => {
    const harness = metricsHarness();
    const client = await createRedisClient(
      { ...optionsFor(), fallback: 'throw' },
      { meterProvider: harness.provider },
    );
    try {
      await client.set(k('secret-key'), 'secret-value');
      for (let i = 0; i < 5; i++) await client.get(k('secret-key'));
      await client.sadd(k('secret-set'), 'secret-member');
      await expect(client.sadd(k('secret-key'), 'x')).rejects.toThrow(/WRONGTYPE/);

      const collected = await harness.collect();
      const duration = collected.get('db.client.operation.duration');
      expect(duration?.unit).toBe('s');
      const byOperation = new Map(
        duration?.points.map((point) => [
          `${point.attributes['db.operation.name']}${point.attributes['error.type'] ? ` ${point.attributes['error.type']}` : ''}`,
          point,
        ]),
      );
      expect([...byOperation.keys()].sort()).toEqual(['GET', 'SADD', 'SADD WRONGTYPE', 'SET']);
      expect(byOperation.get('GET')?.attributes).toEqual({
        'db.system.name': 'redis',
        'db.operation.name': 'GET',
      });
      expect(byOperation.get('SADD WRONGTYPE')?.attributes).toEqual({
        'db.system.name': 'redis',
        'db.operation.name': 'SADD',
        'error.type': 'WRONGTYPE',
      });
      const get = byOperation.get('GET')?.value as Histogram;
      expect(get.count).toBe(5);
      expect(get.sum).toBeGreaterThan(0);
      expect(get.sum).toBeLessThan(5);
      expect(JSON.stringify([...collected.values()])).not.toMatch(/secret/);
    } finally {
      await client.close();
      await harness.shutdown();
    }
  });

  it('reports the connection state one-hot, through to closed', async () => {
    const harness = metricsHarness();
    const server = await startRedisServer();
    const client = await createRedisClient(
      { host: '127.0.0.1', port: server.port, maxReconnectDelayMs: 100, fallback: 'throw' },
      { meterProvider: harness.provider },
    );
    const states = async () =>
      Object.fromEntries(
        (await harness.collect())
          .get('redis_connection_state')
          ?.points.map((point) => [point.attributes.state, point.value]) ?? [],
      );
    try {
      expect(await states()).toEqual({ connecting: 0, ready: 1, reconnecting: 0, closed: 0 });
      await server.stop();
      await vi.waitFor(async () => expect((await states()).reconnecting).toBe(1), { timeout: 3_000 });
      await server.start();
      await vi.waitFor(async () => expect((await states()).ready).toBe(1), { timeout: 5_000 });
      await client.close();
      expect(await states()).toEqual({ connecting: 0, ready: 0, reconnecting: 0, closed: 1 });
    } finally {
      await client.close();
      await server.stop();
      await harness.shutdown();
    }
  });

  it('uses the global meter provider when none is passed', async () => {
    const harness = metricsHarness();
    metrics.setGlobalMeterProvider(harness.provider);
    const client = await createRedisClient({ ...optionsFor(), fallback: 'throw' });
    try {
      await client.get(k('global'));
      const points = (await harness.collect()).get('db.client.operation.duration')?.points ?? [];
      expect(points.map((point) => point.attributes['db.operation.name'])).toEqual(['GET']);
    } finally {
      await client.close();
      await harness.shutdown();
    }
  });

  it('does no timing work when no provider records', async () => {
    const client = await createRedisClient({ ...optionsFor(), fallback: 'throw' });
    const clock = vi.spyOn(performance, 'now');
    try {
      for (let i = 0; i < 10; i++) await client.get(k('untimed'));
      expect(clock).not.toHaveBeenCalled();
    } finally {
      await client.close();
    }
  });
});
