import { checkOtlpEndpoint } from './otlp-target';
import type { TelemetrySettingsInput } from './settings-input';
import type { ValueOrigin } from './telemetry-options-error';
import { checkTemporality, type LettaTemporality } from './temporality';

/** Where Datadog's agent is and what dd-trace should report; `null` in `TelemetryOptions` turns Datadog off. */
export interface DatadogOptions {
  agentHost: string;
  agentPort: number;
  serviceName: string;
  profilingEnabled: boolean;
  profilingMemoryEnabled: boolean;
  profilingHeapEnabled: boolean;
  gitRepositoryUrl: string | null;
  gitCommitSha: string | null;
}

/**
 * What `setupTelemetry` takes; `telemetryOptionsFromSettings(settings)` builds it from Letta's settings.
 */
export interface TelemetryOptions {
  /** OTLP collector endpoint, e.g. `http://localhost:4317` (gRPC) or `http://localhost:4318` (HTTP). */
  otlpEndpoint: string | null;
  /** Turns OTLP traces and metrics off even when an endpoint is set (Letta's rule). */
  disableTracing: boolean;
  /** Letta's numbering: 0 unspecified, 1 delta (Counters and Histograms), 2 cumulative. */
  preferredTemporality: LettaTemporality | null;
  /** Deployment environment; `DEV`, `DEVELOPMENT` and `STAGING` are reported as `dev`. */
  environment: string | null;
  datadog: DatadogOptions | null;
}

/** Builds `setupTelemetry`'s options from Letta's settings, checking the values it cannot use. */
export function telemetryOptionsFromSettings(settings: TelemetrySettingsInput): TelemetryOptions {
  return {
    otlpEndpoint: usedEndpoint(settings.otelExporterOtlpEndpoint, settings, {
      path: 'otelExporterOtlpEndpoint',
      envVar: 'LETTA_OTEL_EXPORTER_OTLP_ENDPOINT',
    }),
    disableTracing: settings.disableTracing,
    preferredTemporality: checkTemporality(settings.otelPreferredTemporality, {
      path: 'otelPreferredTemporality',
      envVar: 'LETTA_OTEL_PREFERRED_TEMPORALITY',
    }),
    environment: settings.environment || null,
    datadog: datadogOptionsFromSettings(settings.telemetry),
  };
}

function datadogOptionsFromSettings(telemetry: TelemetrySettingsInput['telemetry']): DatadogOptions | null {
  if (!telemetry.enableDatadog) return null;
  return {
    agentHost: telemetry.datadogAgentHost,
    agentPort: telemetry.datadogAgentPort,
    serviceName: telemetry.datadogServiceName,
    profilingEnabled: telemetry.datadogProfilingEnabled,
    profilingMemoryEnabled: telemetry.datadogProfilingMemoryEnabled,
    profilingHeapEnabled: telemetry.datadogProfilingHeapEnabled,
    gitRepositoryUrl: telemetry.datadogGitRepositoryUrl || null,
    gitCommitSha: telemetry.datadogGitCommitSha || null,
  };
}

/** Checks plain options the way the converter checks settings, so a bad value fails at setup, not at export. */
export function checkTelemetryOptions(options: TelemetryOptions): TelemetryOptions {
  checkTemporality(options.preferredTemporality, { path: 'preferredTemporality' });
  return {
    ...options,
    otlpEndpoint: usedEndpoint(options.otlpEndpoint, options, { path: 'otlpEndpoint' }),
  };
}

/** An endpoint is checked only when it will be used: Letta starts fine with a stray value and tracing off. */
function usedEndpoint(
  endpoint: string | null,
  tracing: { readonly disableTracing: boolean },
  origin: ValueOrigin,
): string | null {
  if (!endpoint) return null;
  return tracing.disableTracing ? endpoint : checkOtlpEndpoint(endpoint, origin);
}
