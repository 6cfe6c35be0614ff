import type { Logger } from '@letta/core';
import type { TracerProvider } from '@opentelemetry/api';
import type { DatadogOptions } from './telemetry-options';

/** The part of dd-trace 5 this package uses. */
interface DatadogTracer {
  init(): DatadogTracer;
  TracerProvider: new () => TracerProvider & { register(): void };
}

/**
 * The `DD_*` variables Letta sets from its settings before it starts the tracer: `DD_ENV` (the
 * environment, else `development`), service, version, agent address, profiling switches, and the git
 * metadata that dd-trace attaches to every span.
 */
export function datadogEnvironment(
  config: DatadogOptions,
  environment: string | null,
  serviceVersion: string | undefined,
): Record<string, string> {
  const variables: Record<string, string> = {
    DD_ENV: environment || 'development',
    DD_SERVICE: config.serviceName,
    DD_AGENT_HOST: config.agentHost,
    DD_TRACE_AGENT_PORT: String(config.agentPort),
    DD_PROFILING_ENABLED: String(config.profilingEnabled),
    DD_PROFILING_MEMORY_ENABLED: String(config.profilingMemoryEnabled),
    DD_PROFILING_HEAP_ENABLED: String(config.profilingHeapEnabled),
  };
  if (serviceVersion) variables.DD_VERSION = serviceVersion;
  if (config.gitRepositoryUrl) variables.DD_GIT_REPOSITORY_URL = config.gitRepositoryUrl;
  if (config.gitCommitSha) variables.DD_GIT_COMMIT_SHA = config.gitCommitSha;
  return variables;
}

/** Writes each variable into `process.env` only when it is not already set, as Letta does. */
export function applyEnvironmentDefaults(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) {
    if (!process.env[name]) process.env[name] = value;
  }
}

/**
 * Starts dd-trace when it is installed and returns its OpenTelemetry tracer provider, so spans made with
 * `@opentelemetry/api` become Datadog spans. Returns `null` (after one warning) when dd-trace is missing
 * or fails to start; telemetry then carries on without it, as Letta does.
 */
export async function startDatadog(logger: Logger): Promise<(TracerProvider & { register(): void }) | null> {
  let tracer: DatadogTracer;
  try {
    tracer = await importDatadogTracer();
  } catch (error) {
    logger.warn(
      { package: 'dd-trace', reason: error instanceof Error ? error.message : String(error) },
      'Datadog is enabled (LETTA_TELEMETRY_ENABLE_DATADOG) but dd-trace could not be loaded; ' +
        'install dd-trace@5 to send traces to Datadog. Carrying on without it.',
    );
    return null;
  }
  try {
    const started = tracer.init();
    return new started.TracerProvider();
  } catch (error) {
    logger.warn(
      { package: 'dd-trace', reason: error instanceof Error ? error.message : String(error) },
      'dd-trace failed to start; carrying on without Datadog.',
    );
    return null;
  }
}

async function importDatadogTracer(): Promise<DatadogTracer> {
  // A variable specifier keeps bundlers and the type checker from resolving the optional peer.
  const specifier = 'dd-trace';
  const loaded: { default?: DatadogTracer } & Partial<DatadogTracer> = await import(specifier);
  const tracer = loaded.default ?? loaded;
  if (typeof tracer.init !== 'function') throw new Error('dd-trace has no init() function');
  return tracer as DatadogTracer;
}
