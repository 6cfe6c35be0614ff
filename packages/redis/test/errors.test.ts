import { inspect } from 'node:util';
import { ConfigError, LettaError, Secret } from '@letta/core';
import {
  createRedisClient,
  LockBusyError,
  LockReplicationError,
  RedisConnectionError,
  RedisOptionsError,
  RedisTimeoutError,
  redisOptionsFromSettings,
} from '@letta/redis';
import { type RedisServerProcess, startRedisServer } from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRedisOptions } from '../src/resolve-redis-options';
import { settings } from './fixtures';

describe('error classes', () => {
  it.each([
    [
      new RedisOptionsError([{ path: 'db', envVar: 'LETTA_REDIS_DB', message: 'db is bad.' }]),
      'ERR_REDIS_OPTIONS',
      false,
    ],
    [new RedisConnectionError('down'), 'ERR_REDIS_CONNECTION', true],
    [new RedisTimeoutError('slow', 'GET', 5), 'ERR_REDIS_TIMEOUT', true],
    [new LockBusyError('busy', 'CONVERSATION_BUSY', 'conversation:lock:c', 'run'), 'ERR_LOCK_BUSY', true],
    [new LockReplicationError('lost', 'lock', 0, 1), 'ERR_LOCK_REPLICATION', true],
  ])('%s has a stable code and says whether a retry may help', (error, code, retryable) => {
    expect(error).toBeInstanceOf(LettaError);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.name).toBe(error.constructor.name);
  });

  it('makes RedisOptionsError a ConfigError that locates each issue', () => {
    const error = new RedisOptionsError([{ path: 'db', envVar: 'LETTA_REDIS_DB', message: 'db is bad.' }]);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues).toEqual([{ path: 'db', envVar: 'LETTA_REDIS_DB', message: 'db is bad.' }]);
    expect(error.message).toBe('Invalid Redis options (1 problem):\n  db is bad.');
  });
});

describe('a password never shows in util.inspect output', () => {
  const PASSWORD = 'inspect-pa55-never-printed';
  let server: RedisServerProcess;

  beforeAll(async () => {
    server = await startRedisServer(['--requirepass', PASSWORD]);
  });
  afterAll(() => server.stop());

  const deep = (value: unknown) => inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true });

  it('hides a password given as a plain string, or in a URL, once the options are resolved', () => {
    for (const options of [
      { host: 'cache', password: PASSWORD },
      { url: `redis://:${PASSWORD}@cache:6379/0` },
    ]) {
      const resolved = resolveRedisOptions(options);
      expect(resolved.password?.reveal()).toBe(PASSWORD);
      expect(deep(resolved)).not.toContain(PASSWORD);
      expect(JSON.stringify(resolved)).not.toContain(PASSWORD);
      expect(String(resolved.password)).toBe('[redacted]');
    }
  });

  it('hides the password of options made from settings', () => {
    const options = redisOptionsFromSettings(
      settings({ redisHost: 'cache', redisPassword: new Secret(PASSWORD) }),
    );
    expect(deep(options)).not.toContain(PASSWORD);
  });

  it('hides the password of a connected client', async () => {
    const client = await createRedisClient({
      host: '127.0.0.1',
      port: server.port,
      password: PASSWORD,
      fallback: 'throw',
    });
    try {
      expect(await client.ping()).toBe(true);
      expect(deep(client)).not.toContain(PASSWORD);
    } finally {
      await client.close();
    }
  });
});
