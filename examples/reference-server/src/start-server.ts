import { setTimeout as sleep } from 'node:timers/promises';
import {
  checkConnectionBudget,
  createEngine,
  databaseMonitorOptionsFromSettings,
  type Engine,
  engineOptionsFromSettings,
  monitorDatabase,
} from '@letta/db-pool';
import { createRedisClient, type RedisClient, redisOptionsFromSettings } from '@letta/redis';
import { loadSettings, type Settings } from '@letta/settings';
import {
  createLogger,
  createMetricRegistry,
  type Logger,
  loggerOptionsFromSettings,
  type MetricRegistry,
  setupTelemetry,
  type Telemetry,
  telemetryOptionsFromSettings,
} from '@letta/telemetry';
import type { TracerProvider } from '@opentelemetry/api';
import packageJson from '../package.json' with { type: 'json' };
import { type AgentWriteLock, inProcessAgentLock, redisAgentLock } from './agent-write-lock';
import { buildApp } from './app';
import { agentServices } from './app-dependencies';
import { type BatchPollingOptions, batchPollingFromSettings, startBatchPolling } from './batch-polling';
import { Closers } from './closers';
import type { Database } from './database';
import { gatedAgentLock } from './gated-agent-lock';
import { closeHttpGracefully } from './graceful-close';
import { lockReleaseFailureReporter } from './lock-release-failures';
import { migrateToLatest } from './migrations';
import { Readiness } from './readiness';
import { startReadinessGates } from './readiness-gates';
import type { ServerArgs } from './server-args';
import { serverSummary, serverUrl } from './server-summary';
import { defaultSessionBound } from './session-bound';

/** A started server: where it listens, what it uses, and how to stop it. */
export interface RunningServer {
  readonly url: string;
  /** One line naming the database, Redis and telemetry the server uses (no secrets). */
  readonly summary: string;
  readonly logger: Logger;
  /**
   * Drains and closes within `budgetMs`: readiness answers 503 `draining` for the drain delay while
   * requests are still served (each response with `Connection: close`), then, in reverse startup
   * order, SSE streams end, the listener closes and in-flight requests finish, Redis and the database
   * close, and telemetry's final export gets what is left of the budget. Resolves `false` when a
   * component failed to close (it is logged), never rejects.
   */
  close(budgetMs?: number): Promise<boolean>;
}

/** The whole shutdown, SIGTERM to exit, takes at most 10 s; this leaves room for the exit itself. */
export const SHUTDOWN_BUDGET_MS = 9_500;
/** What telemetry's final export leaves of the budget, for the last log lines and the exit. */
const EXIT_MARGIN_MS = 300;
/** What the HTTP drain leaves of the budget for closing Redis, the database and telemetry. */
const AFTER_HTTP_MS = 1_500;

/** The agent write lock in Redis outlives a crashed holder by at most this long. */
const LOCK_TTL_MS = 30_000;
/** A write waits this long for its agent's lock before answering 409. */
const LOCK_WAIT_MS = 5_000;

/** The server's tables, for the dead-tuple gauges of the database monitor. */
const MONITORED_TABLES = ['agents', 'messages', 'runs'];

/** What every startup step reads, and where it registers what it started. */
interface Startup {
  readonly settings: Settings;
  readonly args: ServerArgs;
  readonly logger: Logger;
  readonly version: string;
  /** Checked before anything starts; `null` when batch polling is off. */
  readonly batchPolling: BatchPollingOptions | null;
  readonly closers: Closers;
}

/**
 * Starts the server in Letta's startup order: settings, logger, telemetry (Prometheus on, so `/metrics`
 * works without a collector), the database, its migrations, the connection budget check and the health
 * monitor, Redis, the routes, then leader-only batch polling. Whatever was started is closed again if a
 * later step fails.
 */
export async function startServer(args: ServerArgs): Promise<RunningServer> {
  const settings = loadSettings();
  // createLogger writes each line before the call returns, so the drain's last lines reach the log in
  // order before process.exit.
  const logger = createLogger(loggerOptionsFromSettings(settings));
  const version = process.env.LETTA_VERSION || packageJson.version;
  const batchPolling = settings.enableBatchJobPolling ? batchPollingFromSettings(settings) : null;
  const closers = new Closers(logger);
  try {
    return await startComponents({ settings, args, logger, version, batchPolling, closers });
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}

async function startComponents(startup: Startup): Promise<RunningServer> {
  const { settings, args, logger, version, closers } = startup;
  let shutdownDeadline = Number.POSITIVE_INFINITY;
  // A startup that fails closes what it started within a whole budget.
  const remainingMs = () => Math.min(shutdownDeadline - performance.now(), SHUTDOWN_BUDGET_MS);
  const telemetry = await startTelemetry(startup, remainingMs);
  const metrics = createMetricRegistry(undefined, { names: args.metricNames });
  const readiness = new Readiness(metrics.readinessStateGauge);
  const engine = await openDatabase(startup, telemetry);
  const { redis, lock: agentLock } = await openRedis(startup, telemetry);
  const gating = startReadinessGates(settings.readiness, readiness);
  if (gating) closers.add('readiness-gates', () => gating.close());
  const lock = gating ? gatedAgentLock(agentLock, gating.gates) : agentLock;

  const { store, streams, fanOut } = agentServices(engine, lock, { settings, metrics, logger, redis });
  const app = await buildApp({
    settings,
    engine,
    store,
    streams,
    readiness,
    metrics,
    meterProvider: telemetry.meterProvider,
    metricNames: args.metricNames,
    prometheus: telemetry.prometheus,
    tracerProvider: tracerProviderOf(telemetry),
    password: args.password,
    logger,
    version,
  });
  closers.add('http', async () => {
    const destroyed = await closeHttpGracefully(app, remainingMs() - AFTER_HTTP_MS);
    if (destroyed > 0) {
      logger.warn({ connections: destroyed }, 'Connections still open at the shutdown deadline were closed');
    }
  });
  closers.add('sse', () => {
    streams.endAll();
    return fanOut.close();
  });
  await app.listen({ host: args.host, port: args.port });
  await startLeaderWork(startup, engine, telemetry, metrics);
  readiness.ready();

  return {
    url: serverUrl(app, args),
    summary: serverSummary(settings, args, {
      databaseKind: engine.kind,
      redisIsNoop: redis.isNoop,
      lockKind: lock.kind,
    }),
    logger,
    async close(budgetMs = SHUTDOWN_BUDGET_MS) {
      shutdownDeadline = performance.now() + budgetMs;
      readiness.drain();
      if (args.drainDelayMs > 0) await sleep(args.drainDelayMs);
      return closers.closeAll();
    },
  };
}

/** Telemetry; its final export at close gets `remainingMs()` of the shutdown budget, less a margin. */
async function startTelemetry(
  { settings, logger, version, closers }: Startup,
  remainingMs: () => number,
): Promise<Telemetry> {
  const telemetry = await setupTelemetry(telemetryOptionsFromSettings(settings), {
    prometheus: true,
    logger,
    serviceVersion: version,
  });
  closers.add('telemetry', () => telemetry.close({ timeoutMs: Math.max(0, remainingMs() - EXIT_MARGIN_MS) }));
  return telemetry;
}

/** The tracer provider when traces are recorded; `undefined` keeps spans out of every code path. */
function tracerProviderOf(telemetry: Telemetry): TracerProvider | undefined {
  return telemetry.enabled.traces ? telemetry.tracerProvider : undefined;
}

/** The engine, migrated, its connection budget checked and, when enabled, its health monitored. */
async function openDatabase(startup: Startup, telemetry: Telemetry): Promise<Engine<Database>> {
  const { settings, args, logger, closers } = startup;
  const options = engineOptionsFromSettings(settings);
  if (args.metricNames === 'conventional') options.connectionCountName = 'db.client.connections.usage';
  const open = (sessions?: number) =>
    createEngine<Database>(
      sessions === undefined || options.kind !== 'postgres'
        ? options
        : { ...options, maxConcurrentSessions: sessions },
      {
        logger,
        meterProvider: telemetry.meterProvider,
        tracerProvider: tracerProviderOf(telemetry),
        name: 'core',
      },
    );
  let engine = await open();
  closers.add('database', () => engine.close());
  const applied = await migrateToLatest(engine.db, engine.kind);
  if (applied.length > 0) logger.info({ migrations: applied }, 'Applied database migrations');
  // Logs a warning through the engine's logger when the instances' pools can exhaust max_connections.
  const sessions = defaultSessionBound(await checkConnectionBudget(engine, { instances: args.instances }));
  if (sessions !== null) {
    // No pool and no session limit: bound this instance to its share of the server's connections.
    await engine.close();
    engine = await open(sessions);
    logger.info({ maxConcurrentSessions: sessions }, 'Bounded concurrent database sessions');
  }
  if (settings.enableDbPoolMonitoring) {
    const monitor = monitorDatabase(engine, {
      ...databaseMonitorOptionsFromSettings(settings),
      tables: MONITORED_TABLES,
      meterProvider: telemetry.meterProvider,
    });
    closers.add('database-monitor', () => monitor.close());
  }
  return engine;
}

/** The Redis client and the agent write lock: in Redis when it is real, in-process for the no-op client. */
async function openRedis(
  { settings, logger, closers }: Startup,
  telemetry: Telemetry,
): Promise<{ redis: RedisClient; lock: AgentWriteLock }> {
  const redis = await createRedisClient(redisOptionsFromSettings(settings), {
    logger,
    meterProvider: telemetry.meterProvider,
    tracerProvider: tracerProviderOf(telemetry),
  });
  closers.add('redis', () => redis.close());
  const lock = redis.isNoop
    ? inProcessAgentLock()
    : redisAgentLock(redis, {
        ttlMs: LOCK_TTL_MS,
        waitMs: LOCK_WAIT_MS,
        onReleaseFailed: lockReleaseFailureReporter(logger, telemetry.meterProvider),
      });
  return { redis, lock };
}

/** Leader-only batch polling, when Letta's settings turn it on; stopped first at close. */
async function startLeaderWork(
  { batchPolling, logger, closers }: Startup,
  engine: Engine<Database>,
  telemetry: Telemetry,
  metrics: MetricRegistry,
): Promise<void> {
  if (!batchPolling) return;
  const elector = await startBatchPolling(engine, batchPolling, {
    logger,
    meterProvider: telemetry.meterProvider,
    leaderGauge: metrics.leaderGauge,
  });
  // Added last so it is closed first: another instance can take over while this one drains.
  closers.add('leader-elector', () => elector.close());
}
