import { join } from 'node:path';
import {
  checkConnectionBudget,
  createEngine,
  databaseMonitorOptionsFromSettings,
  engineOptionsFromSettings,
  monitorDatabase,
} from '@letta/db-pool';
import { createRedisClient } from '@letta/redis';
import { loadSettings } from '@letta/settings';
import { createLogger, createMetricRegistry, type StructuredLogger, setupTelemetry } from '@letta/telemetry';
import packageJson from '../package.json' with { type: 'json' };
import { inProcessAgentLock, redisAgentLock } from './agent-write-lock';
import { buildApp } from './app';
import { agentServices } from './app-dependencies';
import { batchPollingFromSettings, startBatchPolling } from './batch-polling';
import type { Database } from './database';
import { errorName } from './error-name';
import { migrateToLatest } from './migrations';
import { Readiness } from './readiness';
import type { ServerArgs } from './server-args';

/** A started server: where it listens, what it uses, and how to stop it. */
export interface RunningServer {
  readonly url: string;
  /** One line naming the database, Redis and telemetry the server uses (no secrets). */
  readonly summary: string;
  readonly logger: StructuredLogger;
  /**
   * Drains and closes in reverse startup order: readiness goes to draining, SSE streams end, the
   * listener closes and in-flight requests finish, then Redis, the database and telemetry close.
   * Resolves `false` when a component failed to close (it is logged), never rejects.
   */
  shutdown(): Promise<boolean>;
}

/** The agent write lock in Redis outlives a crashed holder by at most this long. */
const LOCK_TTL_MS = 30_000;
/** A write waits this long for its agent's lock before answering 409. */
const LOCK_WAIT_MS = 5_000;

/** The server's tables, for the dead-tuple gauges of the database monitor. */
const MONITORED_TABLES = ['agents', 'messages', 'runs'];

/**
 * Starts the server in Letta's startup order: settings, logger, telemetry (Prometheus on, so `/metrics`
 * works without a collector), the database, its migrations, the connection budget check and the health
 * monitor, Redis, the routes, then leader-only batch polling. Whatever was started is closed again if a
 * later step fails.
 */
export async function startServer(args: ServerArgs): Promise<RunningServer> {
  const settings = loadSettings();
  // process.stdout writes files (and pipes, on Linux) synchronously, so the drain's last lines reach the
  // log in order before process.exit; the default asynchronous stdout can reorder lines in flight at exit.
  const logger = createLogger(settings, { destination: process.stdout });
  const version = process.env.LETTA_VERSION || packageJson.version;
  const batchPolling = settings.enableBatchJobPolling ? batchPollingFromSettings(settings) : null;
  const closers: Array<{ name: string; close: () => Promise<void> | void }> = [];
  /** Closes what was started, newest first; `false` when something failed to close (it is logged). */
  const closeAll = async () => {
    let clean = true;
    for (const { name, close } of closers.splice(0).reverse()) {
      const started = performance.now();
      try {
        await close();
        logger.info({ component: name, ms: Math.round(performance.now() - started) }, 'Closed');
      } catch (error) {
        clean = false;
        logger.error({ component: name, errorType: errorName(error) }, 'Closing a component failed');
      }
    }
    return clean;
  };

  try {
    const telemetry = await setupTelemetry(settings, { prometheus: true, logger, serviceVersion: version });
    closers.push({ name: 'telemetry', close: () => telemetry.shutdown() });
    const metrics = createMetricRegistry();
    const readiness = new Readiness(metrics.readinessStateGauge);

    const engine = await createEngine<Database>(engineOptionsFromSettings(settings), {
      logger,
      meterProvider: telemetry.meterProvider,
      name: 'core',
    });
    closers.push({ name: 'database', close: () => engine.close() });
    const applied = await migrateToLatest(engine.db, engine.kind);
    if (applied.length > 0) logger.info({ migrations: applied }, 'Applied database migrations');
    // Logs a warning through the engine's logger when the instances' pools can exhaust max_connections.
    await checkConnectionBudget(engine, { instances: args.instances });
    if (settings.enableDbPoolMonitoring) {
      const monitor = monitorDatabase(engine, {
        ...databaseMonitorOptionsFromSettings(settings),
        tables: MONITORED_TABLES,
        meterProvider: telemetry.meterProvider,
      });
      closers.push({ name: 'database-monitor', close: () => monitor.close() });
    }

    const redis = await createRedisClient(settings, { logger, meterProvider: telemetry.meterProvider });
    closers.push({ name: 'redis', close: () => redis.close() });
    const lock = redis.isNoop
      ? inProcessAgentLock()
      : redisAgentLock(redis, { ttlMs: LOCK_TTL_MS, waitMs: LOCK_WAIT_MS });

    const { store, streams } = agentServices(engine, lock, { settings, metrics, logger });
    const app = await buildApp({
      settings,
      engine,
      store,
      streams,
      readiness,
      metrics,
      prometheus: telemetry.prometheus,
      password: args.password,
      logger,
      version,
    });
    closers.push({
      name: 'http',
      async close() {
        const closing = app.close();
        // Node closes idle keep-alive connections once, when closing starts; a connection whose request
        // finishes later would stay open until its keep-alive timeout, so sweep until the close completes.
        const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
        try {
          await closing;
        } finally {
          clearInterval(sweep);
        }
      },
    });
    closers.push({ name: 'sse', close: () => streams.endAll() });

    await app.listen({ host: args.host, port: args.port });
    if (batchPolling) {
      const elector = await startBatchPolling(engine, batchPolling, {
        logger,
        meterProvider: telemetry.meterProvider,
      });
      // Stopped first on shutdown, so another instance can take over while this one drains.
      closers.push({ name: 'leader-elector', close: () => elector.close() });
    }
    readiness.ready();

    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : args.port;
    const host = args.host.includes(':') ? `[${args.host}]` : args.host;
    const database =
      engine.kind === 'sqlite' ? `sqlite (${join(settings.lettaDir, 'sqlite.db')})` : 'postgres';
    const redisTarget = settings.redisHost ? `${settings.redisHost}:${settings.redisPort}` : 'connected';
    const summary = [
      `database: ${database}`,
      `redis: ${redis.isNoop ? 'no-op' : redisTarget}`,
      `writes: ${lock.kind} lock`,
      `otlp: ${settings.otelExporterOtlpEndpoint && !settings.disableTracing ? 'on' : 'off'}`,
      `password: ${args.password === null ? 'off' : 'on'}`,
    ].join(', ');

    return {
      url: `http://${host}:${port}`,
      summary,
      logger,
      shutdown() {
        readiness.drain();
        return closeAll();
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
