import type { Engine } from '@letta/db-pool';
import type { Settings } from '@letta/settings';
import type { Logger, MetricRegistry, PrometheusEndpoint } from '@letta/telemetry';
import { AgentStore } from './agent-store';
import type { AgentWriteLock } from './agent-write-lock';
import type { Database } from './database';
import { MessageStreams } from './message-streams';
import type { Readiness } from './readiness';

/** How often an idle SSE stream looks for messages that another instance wrote. */
const STREAM_POLL_MS = 1_000;

/** Everything the HTTP layer uses, built by `startServer` in startup order. */
export interface AppDependencies {
  readonly settings: Settings;
  readonly engine: Pick<Engine<Database>, 'ping'>;
  readonly store: AgentStore;
  readonly streams: MessageStreams;
  readonly readiness: Readiness;
  readonly metrics: MetricRegistry;
  readonly prometheus: PrometheusEndpoint | null;
  readonly password: string | null;
  readonly logger: Logger;
  readonly version: string;
}

/** The agent store and the SSE streams that read from it, with Letta's keepalive settings. */
export function agentServices(
  engine: Engine<Database>,
  lock: AgentWriteLock,
  options: {
    settings: Pick<Settings, 'enableKeepalive' | 'keepaliveInterval'>;
    metrics: MetricRegistry;
    logger: Logger;
  },
): { store: AgentStore; streams: MessageStreams } {
  const { settings, metrics, logger } = options;
  const store = new AgentStore(engine, lock);
  const streams = new MessageStreams({
    keepaliveMs: settings.enableKeepalive ? settings.keepaliveInterval * 1000 : null,
    pollMs: STREAM_POLL_MS,
    // The primary: a stream is woken by a write on this instance and must see it.
    read: (agentId, after) => store.listMessages(agentId, { after, limit: 100, fromPrimary: true }),
    metrics,
    logger,
  });
  return { store, streams };
}
