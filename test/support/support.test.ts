import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { freePort, isReachable, startRedisServer } from './index';

describe('test support', () => {
  it('finds a free port and tells a listening port from a closed one', async () => {
    const port = await freePort();
    expect(await isReachable('127.0.0.1', port, 300)).toBe(false);

    const server = createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      expect(await isReachable('127.0.0.1', port, 300)).toBe(true);
    } finally {
      server.close();
    }
  });

  it('starts a redis-server only when its own child answers on the port', async () => {
    const server = await startRedisServer();
    const client = new Redis(server.url);
    try {
      const info = await client.info('server');
      expect(info).toMatch(new RegExp(`^tcp_port:${server.port}\\r?$`, 'm'));
      // A second server on the same port cannot bind; the one answering there is not its child.
      await expect(server.start()).rejects.toThrow(/port \d+/);
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
      await server.stop();
    }
    expect(await isReachable('127.0.0.1', server.port, 300)).toBe(false);
  });
});
