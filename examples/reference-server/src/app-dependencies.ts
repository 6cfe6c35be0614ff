import type { Engine } from '@letta/db-pool';
import type { Settings } from '@letta/settings';
import type { MetricRegistry, PrometheusEndpoint, StructuredLogger } from '@letta/telemetry';
import type { AgentStore } from './agent-store';
import type { Database } from './database';
import type { MessageStreams } from './message-streams';
import type { Readiness } from './readiness';

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
  readonly logger: StructuredLogger;
  readonly version: string;
}
