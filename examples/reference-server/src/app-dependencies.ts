import type { Engine } from '@letta/db-pool';
import type { RedisClient } from '@letta/redis';
import type { Settings } from '@letta/settings';
import type { Logger, MetricRegistry, PrometheusEndpoint } from '@letta/telemetry';
import type { MeterProvider } from '@opentelemetry/api';
import { AgentStore } from './agent-store';
import type { AgentWriteLock } from './agent-write-lock';
import type { Database } from './database';
import { type MessageFanOut, processFanOut } from './message-fan-out';
import { MessageStreams } from './message-streams';
import type { Readiness } from './readiness';
import { redisMessageFanOut } from './redis-message-fan-out';

/** How often an idle SSE stream looks for messages that another instance wrote, without Redis. */
const STREAM_POLL_MS = 1_000;
/** Messages per database read of a stream. */
const STREAM_READ_LIMIT = 100;
/** Database reads all streams of an instance run at once, so many opening streams cannot exhaust it. */
const STREAM_CONCURRENT_READS = 4;
/** With Redis, how often the streams are checked against the database for a lost announcement. */
const STREAM_SWEEP_MS = 10_000;
/** Announced messages a stream holds for a slow client before it closes it with its resume id. */
const STREAM_MAX_BUFFERED = 1_000;

/** Everything the HTTP layer uses, built by `startServer` in startup order. */
export interface AppDependencies {
  readonly settings: Settings;
  readonly engine: Pick<Engine<Database>, 'ping'>;
  readonly store: AgentStore;
  readonly streams: MessageStreams;
  readonly readiness: Readiness;
  readonly metrics: MetricRegistry;
  /** Where endpoint metrics are recorded; the global provider when omitted. */
  readonly meterProvider?: MeterProvider;
  readonly prometheus: PrometheusEndpoint | null;
  readonly password: string | null;
  readonly logger: Logger;
  readonly version: string;
}

/**
 * The agent store and the SSE streams that read from it, with Letta's keepalive settings. With Redis,
 * committed messages reach the streams of every instance through it; without, streams poll the database.
 */
export function agentServices(
  engine: Engine<Database>,
  lock: AgentWriteLock,
  options: {
    settings: Pick<Settings, 'enableKeepalive' | 'keepaliveInterval'>;
    metrics: MetricRegistry;
    logger: Logger;
    /** Unset, or the no-op client: streams reach this process only and poll the database. */
    redis?: RedisClient;
  },
): { store: AgentStore; streams: MessageStreams; fanOut: MessageFanOut } {
  const { settings, metrics, logger, redis } = options;
  const store = new AgentStore(engine, lock);
  const fanOut = !redis || redis.isNoop ? processFanOut() : redisMessageFanOut(redis, logger);
  const streams = new MessageStreams({
    keepaliveMs: settings.enableKeepalive ? settings.keepaliveInterval * 1000 : null,
    pollMs: STREAM_POLL_MS,
    // The primary: a stream is told of a commit and must see it.
    read: (agentId, after) =>
      store.listMessages(agentId, { after, limit: STREAM_READ_LIMIT, fromPrimary: true }),
    readLimit: STREAM_READ_LIMIT,
    maxConcurrentReads: STREAM_CONCURRENT_READS,
    maxBufferedMessages: STREAM_MAX_BUFFERED,
    fanOut,
    sweepMs: STREAM_SWEEP_MS,
    lastSequenceIds: (agentIds) => store.lastSequenceIds(agentIds),
    metrics,
    logger,
  });
  return { store, streams, fanOut };
}
