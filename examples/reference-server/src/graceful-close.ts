import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * A kept-alive connection idle this long is closed during the drain. A proxy reuses its most recently
 * used connections first, so one it left idle this long is not the one it is about to write to; closing
 * a connection the proxy has just picked would reset its request (a 502 at the proxy).
 */
const IDLE_BEFORE_CLOSE_MS = 300;
const SWEEP_EVERY_MS = 50;

interface SocketUse {
  inFlight: number;
  lastUsed: number;
}

/**
 * Tracks, per connection, the requests in flight and when the last one finished, so that the drain
 * closes kept-alive connections only between requests. Call once, before the server listens.
 */
export function trackConnectionUse(server: Server): Map<Socket, SocketUse> {
  const uses = new Map<Socket, SocketUse>();
  server.on('connection', (socket: Socket) => {
    uses.set(socket, { inFlight: 0, lastUsed: performance.now() });
    socket.once('close', () => uses.delete(socket));
  });
  server.on('request', (request, response) => {
    const use = uses.get(request.socket);
    if (!use) return;
    use.inFlight++;
    response.once('close', () => {
      use.inFlight--;
      use.lastUsed = performance.now();
    });
  });
  return uses;
}

/**
 * Stops accepting, lets in-flight requests finish (each answered with `Connection: close`, see app.ts)
 * and closes kept-alive connections once they have been idle for a moment, instead of all at once as
 * Node's `server.close()` does.
 */
export async function closeHttpGracefully(app: FastifyInstance, uses: Map<Socket, SocketUse>): Promise<void> {
  const server = app.server;
  // Node's close() closes every idle connection at once, racing a proxy that writes to one of them.
  server.closeIdleConnections = () => {};
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const [socket, use] of uses) {
      const idle = use.inFlight === 0 && socket.readableLength === 0;
      if (idle && now - use.lastUsed >= IDLE_BEFORE_CLOSE_MS) socket.end();
    }
  }, SWEEP_EVERY_MS);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}
