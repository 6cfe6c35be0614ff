import {
  type LoggerOptions,
  type LoggerSettingsInput,
  loggerOptionsFromSettings,
  type TelemetryOptions,
  type TelemetrySettingsInput,
  telemetryOptionsFromSettings,
} from '@letta/telemetry';

type Settings = TelemetrySettingsInput & LoggerSettingsInput;

type SettingsOverrides = Partial<Omit<Settings, 'telemetry' | 'logging'>> & {
  telemetry?: Partial<Settings['telemetry']>;
  logging?: Partial<Settings['logging']>;
};

/** Letta's defaults for the fields this package reads, with the given fields replaced. */
export function lettaSettings(overrides: SettingsOverrides = {}): Settings {
  const { telemetry, logging, ...top } = overrides;
  return {
    otelExporterOtlpEndpoint: null,
    disableTracing: false,
    otelPreferredTemporality: 1,
    environment: null,
    debug: false,
    lettaDir: '/nonexistent/.letta',
    ...top,
    telemetry: {
      enableDatadog: false,
      datadogAgentHost: 'localhost',
      datadogAgentPort: 8126,
      datadogServiceName: 'letta-server',
      datadogProfilingEnabled: false,
      datadogProfilingMemoryEnabled: false,
      datadogProfilingHeapEnabled: false,
      datadogGitRepositoryUrl: null,
      datadogGitCommitSha: null,
      ...telemetry,
    },
    logging: { jsonLogging: true, logLevel: 'WARNING', ...logging },
  };
}

/** `setupTelemetry`'s options for Letta's settings with the given fields replaced. */
export function telemetryOptions(overrides: SettingsOverrides = {}): TelemetryOptions {
  return telemetryOptionsFromSettings(lettaSettings(overrides));
}

/** `createLogger`'s options for Letta's settings with the given fields replaced. */
export function loggerOptions(overrides: SettingsOverrides = {}): LoggerOptions {
  return loggerOptionsFromSettings(lettaSettings(overrides));
}

/** A logger for the structural seam that keeps every call, for asserting on what was reported. */
export function recordingLogger() {
  const lines: Array<{ level: string; fields: object; message: string }> = [];
  const at = (level: string) => (fields: object, message: string) =>
    void lines.push({ level, fields, message });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}
