import { createRedisClient, type RedisClient, RedisConnectionError, RedisTimeoutError } from '@letta/redis';
import { type RedisServerProcess, startRedisServer, until } from '@test/support';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { metricsHarness, recordingLogger } from './fixtures';

const COMMAND_TIMEOUT_MS = 500;
// Generous slack for a busy shared machine; the point is "bounded by the timeout", not a speed claim.
const SLACK_MS = 1_500;

describe('a Redis that goes down and comes back', () => {
  let server: RedisServerProcess;
  let client: RedisClient;
  const log = recordingLogger();

  beforeAll(async () => {
    server = await startRedisServer();
    client = await createRedisClient(
      {
        host: '127.0.0.1',
        port: server.port,
        commandTimeoutMs: COMMAND_TIMEOUT_MS,
        maxReconnectDelayMs: 200,
        fallback: 'throw',
      },
      { logger: log.logger },
    );
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  it('fails every call at once with a clear error while Redis is down, queueing nothing', async () => {
    await client.set('before', 'outage');
    await server.stop();
    await until('ping fails once Redis is down', async () => !(await client.ping()), 2_000);

    const started = performance.now();
    const calls = Array.from({ length: 2_000 }, (_, i) =>
      i % 2 ? client.get('before') : client.sadd('members', String(i)),
    );
    const outcomes = await Promise.allSettled(calls);
    const elapsed = performance.now() - started;

    // A queued command would wait out the command timeout and fail as a RedisTimeoutError instead.
    const reasons = outcomes.map((outcome) => (outcome.status === 'rejected' ? outcome.reason : outcome));
    expect(reasons.every((reason) => reason instanceof RedisConnectionError)).toBe(true);
    expect(reasons[0].message).toMatch(
      new RegExp(`^Redis SADD was not sent: the connection to 127\\.0\\.0\\.1:${server.port} is down`),
    );
    expect(elapsed).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
    await expect(client.xread({ s: '0' }, { block: 100 })).rejects.toThrow(RedisConnectionError);
  });

  it('reconnects by itself once Redis is back', async () => {
    await server.start();
    await until('ping succeeds once Redis is back', () => client.ping(), 5_000);
    expect(await client.set('after', 'outage')).toBe(true);
    expect(await client.get('after')).toBe('outage');
    expect(await client.xread({ s: '0' }, { block: 50 })).toEqual([]);

    const warnings = log.lines.filter((line) => line.level === 'warn').map((line) => line.message);
    const infos = log.lines.filter((line) => line.level === 'info').map((line) => line.message);
    expect(warnings).toEqual(['Redis connection lost; commands fail fast while the client reconnects']);
    expect(infos).toContain('Redis connection restored');
  });
});

describe('a command in flight when the connection drops', () => {
  it('is rejected as lost, not resent after the reconnect', async () => {
    const server = await startRedisServer();
    const client = await createRedisClient({ host: '127.0.0.1', port: server.port, fallback: 'throw' });
    const admin = new Redis(server.url);
    try {
      await admin.client('PAUSE', 5_000, 'ALL');
      // The client is ready, so the command is written to the socket at once and awaits its reply.
      const inFlight = client.incr('counter').catch((error: unknown) => error);
      await server.stop();
      const error = await inFlight;
      expect(error).toBeInstanceOf(RedisConnectionError);
      expect((error as Error).message).toMatch(/was lost before the reply, so the command may or may not/);
    } finally {
      admin.disconnect();
      await client.close();
    }
  });
});

describe('a stalled Redis', () => {
  let server: RedisServerProcess;
  let admin: Redis;
  let client: RedisClient;
  const harness = metricsHarness();

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url);
    client = await createRedisClient(
      { host: '127.0.0.1', port: server.port, commandTimeoutMs: COMMAND_TIMEOUT_MS, fallback: 'throw' },
      { meterProvider: harness.provider },
    );
  });
  // A command queued behind CLIENT PAUSE (even CLIENT UNPAUSE) runs once the pause ends: wait for that.
  afterEach(() => admin.ping());
  afterAll(async () => {
    await client.close();
    admin.disconnect();
    await server.stop();
    await harness.shutdown();
  });

  async function timed<T>(call: () => Promise<T>): Promise<{ error: unknown; ms: number }> {
    const started = performance.now();
    const error = await call().then(
      () => null,
      (failure: unknown) => failure,
    );
    return { error, ms: performance.now() - started };
  }

  it('times out a read, retries it once, and counts both timeouts', async () => {
    await admin.client('PAUSE', 1_500, 'ALL');
    const { error, ms } = await timed(() => client.get('slow'));
    expect(error).toBeInstanceOf(RedisTimeoutError);
    expect((error as Error).message).toMatch(/^Redis GET got no reply .* within 500 ms \(commandTimeoutMs\)/);
    expect(ms).toBeGreaterThanOrEqual(2 * COMMAND_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(2 * COMMAND_TIMEOUT_MS + SLACK_MS);
    const timeouts = (await harness.collect()).get('redis_timeout_total');
    expect(timeouts?.points).toEqual([{ attributes: { operation: 'get' }, value: 2 }]);
  });

  it('times out a write once and never resends it, although the server may still run it', async () => {
    await admin.client('PAUSE', 1_500, 'ALL');
    const { error, ms } = await timed(() => client.incr('writes'));
    expect(error).toBeInstanceOf(RedisTimeoutError);
    expect(ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
    const timeouts = (await harness.collect()).get('redis_timeout_total');
    expect(timeouts?.points).toContainEqual({ attributes: { operation: 'incr' }, value: 1 });
    // Once the pause is over, a reply on the client's one connection means every command it sent
    // earlier (the INCR, and a resend had there been one) has run.
    await admin.ping();
    await until('the client answers again', () => client.ping(), 5_000);
    expect(await admin.get('writes')).toBe('1');
  });

  it('gives a blocking read a deadline of its block plus the command timeout', async () => {
    await admin.client('PAUSE', 1_500, 'ALL');
    const { error, ms } = await timed(() => client.xread({ s: '0' }, { block: 100 }));
    expect(error).toBeInstanceOf(RedisTimeoutError);
    expect((error as Error).message).toMatch(/XREAD BLOCK 100 got no reply .* within 600 ms/);
    expect(ms).toBeGreaterThanOrEqual(550);
    expect(ms).toBeLessThan(600 + SLACK_MS);
  });
});
