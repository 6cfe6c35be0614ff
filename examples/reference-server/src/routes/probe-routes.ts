import { explain } from '@letta/settings';
import type { FastifyInstance } from 'fastify';
import type { AppDependencies } from '../app-dependencies';
import { errorName } from '../error-name';

/** A readiness check never waits on the pool's own (long) timeout. */
const PING_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `/v1/health/`, `/v1/ready/`, `/metrics` and, in debug mode, `/v1/config`. */
export function probeRoutes(app: FastifyInstance, deps: AppDependencies): void {
  const { settings, engine, store, readiness, prometheus, version, logger } = deps;

  app.get('/v1/health/', async () => ({ status: 'ok', version }));

  app.get('/v1/ready/', async (_request, reply) => {
    // Letta's LETTA_READINESS_DRAIN_RETURNS_503=false keeps a draining server ready, with enforcement on.
    const { enforcementEnabled, drainReturns503 } = settings.readiness;
    const drainingReady = readiness.state === 'draining' && enforcementEnabled && !drainReturns503;
    if (drainingReady) return { status: 'draining' };
    if (readiness.state !== 'ready') return reply.code(503).send({ status: readiness.state });
    const [database, writes] = await Promise.allSettled([
      withTimeout(engine.ping(), PING_TIMEOUT_MS),
      withTimeout(store.writesPossible(), PING_TIMEOUT_MS),
    ]);
    if (database.status === 'rejected') {
      logger.warn({ errorType: errorName(database.reason) }, 'Readiness: database ping failed');
      return reply.code(503).send({ status: 'unavailable', reason: 'database' });
    }
    // Every write takes the agent's lock in Redis: without Redis no write can succeed.
    if (writes.status === 'rejected' || !writes.value) {
      logger.warn({}, 'Readiness: Redis, which holds the agent write locks, does not answer');
      return reply.code(503).send({ status: 'unavailable', reason: 'redis' });
    }
    return { status: 'ready' };
  });

  app.get('/metrics', async (_request, reply) => {
    if (!prometheus) return reply.code(404).send({ detail: 'Metrics are not enabled on this server.' });
    const { contentType, body } = await prometheus.scrape();
    return reply.type(contentType).send(body);
  });

  app.get('/v1/config', async (_request, reply) => {
    if (!settings.debug) {
      return reply
        .code(404)
        .send({ detail: 'Not found. /v1/config is served only when LETTA_DEBUG is true.' });
    }
    // Secrets stay Secret objects here and serialise as "[redacted]".
    return { settings: explain(settings) };
  });
}
