import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * How long the server keeps an idle kept-alive connection open. A proxy must close its idle upstream
 * connections sooner (deploy/nginx.conf: `keepalive_timeout 3s`; cloud load balancers: 60 s), so that
 * the proxy, never the server, closes an idle connection: a request the proxy writes into a connection
 * the server is closing is lost, and the proxy answers 502 (it does not retry a POST).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 72_000;

/**
 * Stops accepting and waits until every connection has been closed by its peer: in-flight requests
 * finish, and every request from now on is answered with `Connection: close`, so each kept-alive
 * connection ends after its next request or when the proxy's keep-alive timeout closes it. The server
 * never closes an idle connection itself, since a proxy may be writing to it. Connections still open
 * `withinMs` from now are destroyed; resolves with how many that were.
 */
export async function closeHttpGracefully(app: FastifyInstance, withinMs: number): Promise<number> {
  const server = app.server;
  let destroyed = 0;
  // From now on each response closes its connection after it is sent, so kept-alive connections end
  // between requests (only from now: during the drain delay a proxy keeps reusing its connections).
  server.prependListener('request', closeAfterResponse);
  // net.Server's close: stop listening and call back once the last connection has closed. Node's HTTP
  // close() (what app.close() calls) would first destroy every idle kept-alive connection (Node 19+).
  const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
  const deadline = setTimeout(
    () => {
      server.getConnections((_error, count) => {
        destroyed = count;
        server.closeAllConnections();
      });
    },
    Math.max(0, withinMs),
  );
  try {
    await closed;
  } finally {
    clearTimeout(deadline);
  }
  // No connection is left: Fastify's onClose hooks run, and its server.close() finds nothing to close.
  await app.close();
  return destroyed;
}

function closeAfterResponse(_request: IncomingMessage, response: ServerResponse): void {
  response.shouldKeepAlive = false;
}
