import { datadogEnvironment, setupTelemetry, telemetryOptionsFromSettings } from '@letta/telemetry';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lettaSettings, recordingLogger, telemetryOptions } from './fixtures';

const ddVariables = [
  'DD_ENV',
  'DD_SERVICE',
  'DD_VERSION',
  'DD_AGENT_HOST',
  'DD_TRACE_AGENT_PORT',
  'DD_PROFILING_ENABLED',
  'DD_PROFILING_MEMORY_ENABLED',
  'DD_PROFILING_HEAP_ENABLED',
  'DD_GIT_REPOSITORY_URL',
  'DD_GIT_COMMIT_SHA',
];

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('Datadog', () => {
  it('maps settings to the DD_* variables Letta sets', () => {
    const config = telemetryOptionsFromSettings(
      lettaSettings({
        environment: 'prod',
        telemetry: {
          enableDatadog: true,
          datadogAgentHost: 'dd-agent',
          datadogAgentPort: 8136,
          datadogServiceName: 'letta-api',
          datadogProfilingEnabled: true,
          datadogGitRepositoryUrl: 'https://github.com/letta-ai/letta',
          datadogGitCommitSha: 'abc123',
        },
      }),
    );
    if (!config.datadog) throw new Error('datadog config missing');
    expect(datadogEnvironment(config.datadog, config.environment, '0.16.8')).toEqual({
      DD_ENV: 'prod',
      DD_SERVICE: 'letta-api',
      DD_VERSION: '0.16.8',
      DD_AGENT_HOST: 'dd-agent',
      DD_TRACE_AGENT_PORT: '8136',
      DD_PROFILING_ENABLED: 'true',
      DD_PROFILING_MEMORY_ENABLED: 'false',
      DD_PROFILING_HEAP_ENABLED: 'false',
      DD_GIT_REPOSITORY_URL: 'https://github.com/letta-ai/letta',
      DD_GIT_COMMIT_SHA: 'abc123',
    });
    expect(datadogEnvironment(config.datadog, null, undefined).DD_ENV).toBe('development');
  });

  it('without dd-trace installed: sets only missing DD_* variables, warns once and carries on', async () => {
    for (const name of ddVariables) vi.stubEnv(name, undefined);
    vi.stubEnv('DD_SERVICE', 'already-set');
    const { lines, logger } = recordingLogger();

    const telemetry = await setupTelemetry(telemetryOptions({ telemetry: { enableDatadog: true } }), {
      logger,
    });

    expect(telemetry.enabled).toEqual({ traces: false, metrics: false, datadog: false });
    expect(process.env.DD_SERVICE).toBe('already-set');
    expect(process.env.DD_ENV).toBe('development');
    expect(process.env.DD_AGENT_HOST).toBe('localhost');
    expect(process.env.DD_TRACE_AGENT_PORT).toBe('8126');
    expect(process.env.DD_GIT_COMMIT_SHA).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', fields: { package: 'dd-trace' } });
    expect(lines[0]?.message).toMatch(/dd-trace could not be loaded; install dd-trace@5/);
    await telemetry.close();
  });
});
