import { ConfigError } from '@letta/core';
import {
  otlpTarget,
  setupTelemetry,
  TelemetryOptionsError,
  telemetryOptionsFromSettings,
} from '@letta/telemetry';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lettaSettings } from './fixtures';

const noWarning = (message: string) => {
  throw new Error(`unexpected warning: ${message}`);
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('telemetryOptionsFromSettings', () => {
  it('maps the Letta fields to plain options, Datadog only when enabled', () => {
    const config = telemetryOptionsFromSettings(
      lettaSettings({
        otelExporterOtlpEndpoint: 'http://collector:4317',
        environment: 'STAGING',
        otelPreferredTemporality: 2,
        telemetry: { enableDatadog: true, datadogAgentHost: 'dd-agent', datadogGitCommitSha: 'abc123' },
      }),
    );
    expect(config).toEqual({
      otlpEndpoint: 'http://collector:4317',
      disableTracing: false,
      preferredTemporality: 2,
      environment: 'STAGING',
      datadog: {
        agentHost: 'dd-agent',
        agentPort: 8126,
        serviceName: 'letta-server',
        profilingEnabled: false,
        profilingMemoryEnabled: false,
        profilingHeapEnabled: false,
        gitRepositoryUrl: null,
        gitCommitSha: 'abc123',
      },
    });
    expect(telemetryOptionsFromSettings(lettaSettings()).datadog).toBeNull();
  });

  it('treats an empty endpoint as unset and gives a scheme-less one http://', () => {
    expect(
      telemetryOptionsFromSettings(lettaSettings({ otelExporterOtlpEndpoint: '' })).otlpEndpoint,
    ).toBeNull();
    expect(
      telemetryOptionsFromSettings(lettaSettings({ otelExporterOtlpEndpoint: 'collector:4317' }))
        .otlpEndpoint,
    ).toBe('http://collector:4317');
  });

  it('rejects a temporality outside 0..2, naming the variable', () => {
    const build = () => telemetryOptionsFromSettings(lettaSettings({ otelPreferredTemporality: 3 }));
    expect(build).toThrow(TelemetryOptionsError);
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(
      expect.objectContaining({
        code: 'ERR_TELEMETRY_OPTIONS',
        issues: [
          expect.objectContaining({
            path: 'otelPreferredTemporality',
            envVar: 'LETTA_OTEL_PREFERRED_TEMPORALITY',
          }),
        ],
      }),
    );
    expect(build).toThrow(
      /LETTA_OTEL_PREFERRED_TEMPORALITY must be 0 \(unspecified\), 1 \(delta\) or 2 \(cumulative\), but it is 3/,
    );
  });

  it('rejects an unusable endpoint without printing its password', () => {
    const build = () =>
      telemetryOptionsFromSettings(
        lettaSettings({ otelExporterOtlpEndpoint: 'ftp://otel:hunter2@collector:4317' }),
      );
    expect(build).toThrow(/LETTA_OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/);
    expect(build).toThrow(/ftp:\/\/otel:\[redacted\]@collector:4317/);
    expect(build).not.toThrow(/hunter2/);
  });

  it('does not check an endpoint that tracing-disabled settings never use', () => {
    const config = telemetryOptionsFromSettings(
      lettaSettings({ otelExporterOtlpEndpoint: 'ftp://x', disableTracing: true }),
    );
    expect(config.otlpEndpoint).toBe('ftp://x');
  });

  it('checks plain options with the option name', async () => {
    await expect(
      setupTelemetry({
        otlpEndpoint: null,
        disableTracing: false,
        preferredTemporality: 7 as 1,
        environment: null,
        datadog: null,
      }),
    ).rejects.toMatchObject({
      code: 'ERR_TELEMETRY_OPTIONS',
      issues: [
        { path: 'preferredTemporality', message: expect.stringMatching(/^preferredTemporality must be 0/) },
      ],
    });
  });
});

describe('otlpTarget', () => {
  it('uses gRPC for port 4317 and HTTP/protobuf otherwise', () => {
    expect(otlpTarget('http://collector:4317', 'traces', noWarning)).toEqual({
      protocol: 'grpc',
      url: 'http://collector:4317',
    });
    expect(otlpTarget('collector:4317', 'metrics')).toEqual({
      protocol: 'grpc',
      url: 'http://collector:4317',
    });
    expect(otlpTarget('http://collector:4318', 'metrics', noWarning)).toEqual({
      protocol: 'http/protobuf',
      url: 'http://collector:4318/v1/metrics',
    });
  });

  it('appends the signal path once: no double slashes, no double paths, prefixes kept', () => {
    const cases: Array<[string, string]> = [
      ['http://c:4318/', 'http://c:4318/v1/traces'],
      ['http://c:4318//', 'http://c:4318/v1/traces'],
      ['http://c:4318/v1/traces', 'http://c:4318/v1/traces'],
      ['http://c:4318/v1/metrics/', 'http://c:4318/v1/traces'],
      ['https://otel.example.com/otlp', 'https://otel.example.com/otlp/v1/traces'],
      ['https://otel.example.com', 'https://otel.example.com/v1/traces'],
    ];
    for (const [endpoint, url] of cases) {
      expect(otlpTarget(endpoint, 'traces', noWarning).url).toBe(url);
    }
  });

  it('lets OTEL_EXPORTER_OTLP_PROTOCOL and the per-signal variable override the port rule', () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/json');
    expect(otlpTarget('http://c:4317', 'metrics', noWarning)).toEqual({
      protocol: 'http/json',
      url: 'http://c:4317/v1/metrics',
    });
    vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'grpc');
    expect(otlpTarget('http://c:4318/base', 'traces', noWarning)).toEqual({
      protocol: 'grpc',
      url: 'http://c:4318',
    });
  });

  it('warns about an unknown protocol and falls back to the default, as the SDK does', () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_PROTOCOL', 'carrier-pigeon');
    const warnings: string[] = [];
    expect(otlpTarget('http://c:4317', 'traces', (m) => warnings.push(m)).protocol).toBe('grpc');
    expect(warnings).toEqual([
      'OTEL_EXPORTER_OTLP_PROTOCOL is "carrier-pigeon", which is not one of grpc, http/protobuf, http/json; using the default protocol.',
    ]);
  });
});
