import { type AddressInfo, createServer } from 'node:net';
import {
  createRedisClient,
  RedisConnectionError,
  type RedisOptions,
  RedisOptionsError,
  redisOptionsFromSettings,
} from '@letta/redis';
import { freePort, type RedisServerProcess, startRedisServer, until } from '@test/support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lettaOptions, recordingLogger, settings, testSecret } from './fixtures';

const PASSWORD = 'pa55-w0rd-never-printed';

describe('redisOptionsFromSettings', () => {
  it("maps Letta's redis settings onto client options", () => {
    const password = testSecret(PASSWORD);
    expect(
      redisOptionsFromSettings(
        settings({
          redisHost: 'cache',
          redisPort: 6380,
          redisPassword: password,
          redisUsername: 'app',
          redisDb: 2,
          redisTls: true,
        }),
      ),
    ).toEqual({
      host: 'cache',
      port: 6380,
      url: null,
      sentinels: null,
      sentinelName: null,
      clusterNodes: null,
      password,
      username: 'app',
      db: 2,
      tls: true,
    });
  });

  it('maps the URL, Sentinel and cluster settings', () => {
    const url = testSecret('redis://:pw@cache:6380/1');
    const sentinels = [{ host: 's1', port: 26379 }];
    const clusterNodes = [{ host: 'n1', port: 7000 }];
    expect(redisOptionsFromSettings(settings({ redisUrl: url }))).toMatchObject({ host: null, url });
    expect(
      redisOptionsFromSettings(
        settings({ redisSentinels: sentinels, redisSentinelName: 'main', redisClusterNodes: [] }),
      ),
    ).toMatchObject({ sentinels, sentinelName: 'main', clusterNodes: [] });
    expect(redisOptionsFromSettings(settings({ redisClusterNodes: clusterNodes }))).toMatchObject({
      clusterNodes,
    });
  });
});

describe('createRedisClient without a host', () => {
  it('returns the no-op client and says so once, at info', async () => {
    const { lines, logger } = recordingLogger();
    const client = await createRedisClient(lettaOptions({}), { logger });
    expect(client.isNoop).toBe(true);
    expect(lines).toEqual([
      {
        level: 'info',
        fields: {},
        message:
          'Redis is not configured (no LETTA_REDIS_HOST, LETTA_REDIS_URL, LETTA_REDIS_SENTINELS or ' +
          'LETTA_REDIS_CLUSTER_NODES, or LETTA_REDIS_PORT is unset); using the no-op Redis client',
      },
    ]);
    await client.close();
  });

  it('treats a null port like Letta does: no Redis', async () => {
    const client = await createRedisClient(lettaOptions({ redisHost: 'cache', redisPort: null }));
    expect(client.isNoop).toBe(true);
  });
});

describe('createRedisClient when Redis is not ready', () => {
  it("falls back to the no-op client with a warning by default ('noop')", async () => {
    const port = await freePort();
    const { lines, logger } = recordingLogger();
    const started = performance.now();
    const client = await createRedisClient({ host: '127.0.0.1', port, readyTimeoutMs: 300 }, { logger });
    expect(performance.now() - started).toBeLessThan(300 + 1_500);
    expect(client.isNoop).toBe(true);
    const warning = lines.find((line) => line.level === 'warn');
    expect(warning?.message).toBe(
      'Redis was not ready in time; using the no-op Redis client for the life of this client',
    );
    expect(warning?.fields).toMatchObject({
      host: '127.0.0.1',
      port,
      readyTimeoutMs: 300,
      error: expect.stringMatching(/ECONNREFUSED/),
    });
  });

  it("throws a RedisConnectionError that says what to do with fallback 'throw'", async () => {
    const port = await freePort();
    const attempt = createRedisClient({ host: '127.0.0.1', port, readyTimeoutMs: 300, fallback: 'throw' });
    await expect(attempt).rejects.toThrow(RedisConnectionError);
    await expect(
      createRedisClient({ host: '127.0.0.1', port, readyTimeoutMs: 300, fallback: 'throw' }),
    ).rejects.toThrow(
      new RegExp(
        `^Redis at 127\\.0\\.0\\.1:${port} was not ready within 300 ms \\(readyTimeoutMs\\): .*ECONNREFUSED`,
      ),
    );
  });

  it('waits for a Redis that comes up within readyTimeoutMs', async () => {
    const server = await startRedisServer();
    await server.stop();
    const { lines, logger } = recordingLogger();
    const creating = createRedisClient(
      { host: '127.0.0.1', port: server.port, readyTimeoutMs: 10_000 },
      { logger },
    );
    // Start Redis only once the client has failed to connect, so the test covers the retry.
    await until('a failed connection attempt', async () =>
      lines.some((line) => line.message === 'Redis connection error'),
    );
    await server.start();
    const client = await creating;
    try {
      expect(client.isNoop).toBe(false);
      expect(await client.ping()).toBe(true);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it.each([
    ['tls: true', (port: number): RedisOptions => ({ host: '127.0.0.1', port, tls: true })],
    ['a rediss:// URL', (port: number): RedisOptions => ({ url: `rediss://127.0.0.1:${port}` })],
  ])('speaks TLS when asked to with %s', async (_how, options) => {
    const firstBytes: Buffer[] = [];
    const listener = createServer((socket) => socket.once('data', (chunk: Buffer) => firstBytes.push(chunk)));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as AddressInfo;
    try {
      const client = await createRedisClient({ ...options(port), readyTimeoutMs: 300 });
      expect(client.isNoop).toBe(true);
      // 0x16 opens a TLS handshake record; a plain client would have sent a RESP command.
      expect(firstBytes[0]?.[0]).toBe(0x16);
    } finally {
      listener.close();
    }
  });
});

describe('createRedisClient with credentials and a database from settings', () => {
  let server: RedisServerProcess;

  beforeAll(async () => {
    server = await startRedisServer(['--requirepass', PASSWORD]);
  });
  afterAll(() => server.stop());

  it('authenticates with the secret and selects the database', async () => {
    const client = await createRedisClient(
      lettaOptions({
        redisHost: '127.0.0.1',
        redisPort: server.port,
        redisPassword: testSecret(PASSWORD),
        redisUsername: 'default',
        redisDb: 3,
      }),
    );
    const raw = new Redis({ port: server.port, password: PASSWORD, db: 3 });
    try {
      expect(client.isNoop).toBe(false);
      await client.set('in-db-3', 'yes');
      expect(await raw.get('in-db-3')).toBe('yes');
    } finally {
      raw.disconnect();
      await client.close();
    }
  });

  it('never prints the password, in errors or in logs', async () => {
    const { lines, logger } = recordingLogger();
    const wrong = `${PASSWORD}-but-wrong`;
    const failure = await createRedisClient(
      { host: '127.0.0.1', port: server.port, password: wrong, readyTimeoutMs: 500, fallback: 'throw' },
      { logger },
    ).catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(RedisConnectionError);
    expect((failure as Error).message).toMatch(/WRONGPASS/);

    const fallback = await createRedisClient(
      { host: '127.0.0.1', port: server.port, password: wrong, readyTimeoutMs: 500 },
      { logger },
    );
    expect(fallback.isNoop).toBe(true);
    const printed = [String(failure), (failure as Error).stack, JSON.stringify(lines)].join('\n');
    expect(printed).not.toContain(PASSWORD);
    expect(lines.some((line) => line.level === 'warn')).toBe(true);
  });
});

describe('createRedisClient option checks', () => {
  it.each([
    [{ port: 0 }, /port \(LETTA_REDIS_PORT\) must be an integer from 1 to 65535, but found 0/],
    [{ port: 6379.5 }, /port \(LETTA_REDIS_PORT\) must be an integer/],
    [{ db: -1 }, /db \(LETTA_REDIS_DB\) must be an integer 0 or more, but found -1/],
    [{ host: ' ' }, /host \(LETTA_REDIS_HOST\) must be a host name or address/],
    [{ commandTimeoutMs: 0 }, /commandTimeoutMs must be an integer 1 or more/],
    [{ readyTimeoutMs: Number.NaN }, /readyTimeoutMs must be an integer 1 or more, but found NaN/],
    [{ maxBlockingConnections: 0 }, /maxBlockingConnections must be an integer from 1 to 10000/],
    [{ fallback: 'retry' as 'noop' }, /fallback must be 'noop' or 'throw', but found "retry"/],
  ])('rejects %o before connecting', async (override, message) => {
    const attempt = createRedisClient({ host: '127.0.0.1', port: 6379, ...override });
    await expect(attempt).rejects.toThrow(RedisOptionsError);
    await expect(createRedisClient({ host: '127.0.0.1', port: 6379, ...override })).rejects.toThrow(message);
  });
});
