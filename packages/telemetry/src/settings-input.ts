/**
 * The logging fields of Letta's settings `loggerOptionsFromSettings` reads. The `Settings` object from
 * `@letta/settings` satisfies it; any object with these fields does too.
 */
export interface LoggerSettingsInput {
  /** `LETTA_DEBUG`: logs at debug level when true. */
  readonly debug: boolean | null;
  /** `LETTA_DIR`: the log file lives at `<lettaDir>/logs/Letta.log`. */
  readonly lettaDir: string;
  readonly logging: {
    /** `LETTA_LOGGING_JSON_LOGGING`: one JSON object per line instead of readable lines. */
    readonly jsonLogging: boolean;
    /** `LETTA_LOGGING_LOG_LEVEL`: a Python level name (`DEBUG`, `INFO`, `WARNING`, `ERROR`, `CRITICAL`). */
    readonly logLevel: string | null;
  };
}

/**
 * The fields of Letta's settings `telemetryOptionsFromSettings` reads, declared structurally so this package never
 * imports `@letta/settings`.
 */
export interface TelemetrySettingsInput {
  /** `LETTA_OTEL_EXPORTER_OTLP_ENDPOINT`: OTLP traces and metrics go here; unset means no OTLP. */
  readonly otelExporterOtlpEndpoint: string | null;
  /** `LETTA_DISABLE_TRACING`: turns off OTLP traces and metrics alike, as in Letta. */
  readonly disableTracing: boolean;
  /** `LETTA_OTEL_PREFERRED_TEMPORALITY`: 0 unspecified, 1 delta, 2 cumulative (Letta's numbering). */
  readonly otelPreferredTemporality: number | null;
  /** `LETTA_ENVIRONMENT`: becomes `deployment.environment` and Datadog's `DD_ENV`. */
  readonly environment: string | null;
  readonly telemetry: {
    readonly enableDatadog: boolean;
    readonly datadogAgentHost: string;
    readonly datadogAgentPort: number;
    readonly datadogServiceName: string;
    readonly datadogProfilingEnabled: boolean;
    readonly datadogProfilingMemoryEnabled: boolean;
    readonly datadogProfilingHeapEnabled: boolean;
    readonly datadogGitRepositoryUrl: string | null;
    readonly datadogGitCommitSha: string | null;
  };
}
