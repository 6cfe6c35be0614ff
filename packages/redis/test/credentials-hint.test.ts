import { createRedisClient, RedisConnectionError } from '@letta/redis';
import { type RedisServerProcess, requireProgram, startRedisServer } from '@test/support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const hasRedisServer = requireProgram('redis-server', 'apt-get install redis-server') !== null;

describe.skipIf(!hasRedisServer)('a Redis that refuses the password', () => {
  let server: RedisServerProcess;

  beforeAll(async () => {
    server = await startRedisServer(['--requirepass', 'the-right-one']);
  });
  afterAll(() => server?.stop());

  it('names the credentials settings, not the address, and never the password', async () => {
    const error = await createRedisClient({
      host: '127.0.0.1',
      port: server.port,
      password: 'a-wrong-password',
      readyTimeoutMs: 1_000,
      fallback: 'throw',
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisConnectionError);
    const message = (error as Error).message;
    expect(message).toContain('fix the credentials: LETTA_REDIS_PASSWORD');
    expect(message).not.toContain('LETTA_REDIS_HOST');
    expect(message).not.toContain('a-wrong-password');
    expect(message).not.toContain('the-right-one');
  });
});
