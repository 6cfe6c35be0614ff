import { checkOtlpEndpoint } from './otlp-target';
import type { TelemetrySettingsSource } from './settings-source';
import { checkTemporality, type LettaTemporality } from './temporality';

/** Where Datadog's agent is and what dd-trace should report; `null` in `TelemetryConfig` turns Datadog off. */
export interface DatadogConfig {
  agentHost: string;
  agentPort: number;
  serviceName: string;
  profilingEnabled: boolean;
  profilingMemoryEnabled: boolean;
  profilingHeapEnabled: boolean;
  gitRepositoryUrl: string | null;
  gitCommitSha: string | null;
}

/** The plain options `setupTelemetry` needs; `fromSettings(settings)` builds them from Letta's settings. */
export interface TelemetryConfig {
  /** OTLP collector endpoint, e.g. `http://localhost:4317` (gRPC) or `http://localhost:4318` (HTTP). */
  otlpEndpoint: string | null;
  /** Turns OTLP traces and metrics off even when an endpoint is set (Letta's rule). */
  disableTracing: boolean;
  /** Letta's numbering: 0 unspecified, 1 delta (Counters and Histograms), 2 cumulative. */
  preferredTemporality: LettaTemporality | null;
  /** Deployment environment; `DEV`, `DEVELOPMENT` and `STAGING` are reported as `dev`. */
  environment: string | null;
  datadog: DatadogConfig | null;
}

/** Builds `setupTelemetry`'s options from Letta's settings, checking the values it cannot use. */
export function fromSettings(settings: TelemetrySettingsSource): TelemetryConfig {
  const { telemetry } = settings;
  return {
    otlpEndpoint: usedEndpoint(
      settings.otelExporterOtlpEndpoint,
      settings.disableTracing,
      'LETTA_OTEL_EXPORTER_OTLP_ENDPOINT',
    ),
    disableTracing: settings.disableTracing,
    preferredTemporality: checkTemporality(
      settings.otelPreferredTemporality,
      'LETTA_OTEL_PREFERRED_TEMPORALITY',
    ),
    environment: settings.environment || null,
    datadog: telemetry.enableDatadog
      ? {
          agentHost: telemetry.datadogAgentHost,
          agentPort: telemetry.datadogAgentPort,
          serviceName: telemetry.datadogServiceName,
          profilingEnabled: telemetry.datadogProfilingEnabled,
          profilingMemoryEnabled: telemetry.datadogProfilingMemoryEnabled,
          profilingHeapEnabled: telemetry.datadogProfilingHeapEnabled,
          gitRepositoryUrl: telemetry.datadogGitRepositoryUrl || null,
          gitCommitSha: telemetry.datadogGitCommitSha || null,
        }
      : null,
  };
}

/** Accepts either Letta's settings or plain options, checking plain options the same way. */
export function toTelemetryConfig(source: TelemetrySettingsSource | TelemetryConfig): TelemetryConfig {
  if ('otelExporterOtlpEndpoint' in source) return fromSettings(source);
  checkTemporality(source.preferredTemporality, 'preferredTemporality');
  return {
    ...source,
    otlpEndpoint: usedEndpoint(source.otlpEndpoint, source.disableTracing, 'otlpEndpoint'),
  };
}

/** An endpoint is checked only when it will be used: Letta starts fine with a stray value and tracing off. */
function usedEndpoint(endpoint: string | null, disabled: boolean, setting: string): string | null {
  if (!endpoint) return null;
  return disabled ? endpoint : checkOtlpEndpoint(endpoint, setting);
}
