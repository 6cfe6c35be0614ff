import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, isReachable } from './index';

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
});
