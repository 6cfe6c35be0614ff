import { checkOtlpEndpoint } from './otlp-target';
import type { TelemetrySettingsInput } from './settings-input';
import type { ValueOrigin } from './telemetry-options-error';
import { checkTemporality, type LettaTemporality } from './temporality';
import { checkTraceSampler, type TraceSampler, traceSamplerFromEnv } from './trace-sampler';

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
  /**
   * Which traces are recorded; `telemetryOptionsFromSettings` takes it from `OTEL_TRACES_SAMPLER` and
   * `OTEL_TRACES_SAMPLER_ARG`. Absent or `null`: the SDK's default, `parentbased_always_on`.
   */
  sampler?: TraceSampler | null;
}

/** The process environment, or any object of variables (tests pass their own). */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Builds `setupTelemetry`'s options from Letta's settings and the standard OpenTelemetry variables in
 * `env`, checking the values it cannot use. `LETTA_OTEL_EXPORTER_OTLP_ENDPOINT` wins over
 * `OTEL_EXPORTER_OTLP_ENDPOINT`; the sampler comes from `OTEL_TRACES_SAMPLER` / `_ARG`.
 */
export function telemetryOptionsFromSettings(
  settings: TelemetrySettingsInput,
  env: Environment = process.env,
): TelemetryOptions {
  return {
    otlpEndpoint: usedEndpoint(
      settings.otelExporterOtlpEndpoint || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || null,
      settings,
      settings.otelExporterOtlpEndpoint
        ? { path: 'otelExporterOtlpEndpoint', envVar: 'LETTA_OTEL_EXPORTER_OTLP_ENDPOINT' }
        : { path: 'otelExporterOtlpEndpoint', envVar: 'OTEL_EXPORTER_OTLP_ENDPOINT' },
    ),
    disableTracing: settings.disableTracing,
    preferredTemporality: checkTemporality(settings.otelPreferredTemporality, {
      path: 'otelPreferredTemporality',
      envVar: 'LETTA_OTEL_PREFERRED_TEMPORALITY',
    }),
    environment: settings.environment || null,
    datadog: datadogOptionsFromSettings(settings.telemetry),
    sampler: traceSamplerFromEnv(env),
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
  if (options.sampler) checkTraceSampler(options.sampler);
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
