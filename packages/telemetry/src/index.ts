export { type CreateLoggerOptions, createLogger } from './create-logger';
export { datadogEnvironment } from './datadog';
export { createEndpointMetrics, type EndpointMetrics } from './endpoint-metrics';
export { type LoggingConfig, loggingFromSettings } from './logging-config';
export type { InstrumentKind, MetricDefinition } from './metric-definitions';
export { lettaMetrics } from './metric-definitions';
export { createMetricRegistry, METER_NAME, type MetricRegistry } from './metric-registry';
export type { OtlpProtocol, OtlpSignal, OtlpTarget } from './otlp-target';
export { otlpTarget } from './otlp-target';
export type { MetricsScrape, PrometheusEndpoint, PrometheusOptions } from './prometheus-endpoint';
export { REDACTED, redactSecrets } from './redact-secrets';
export {
  requestContextAttributes,
  requestContextFromHeaders,
  runWithRequestContext,
} from './request-context';
export type { RotatingFileOptions } from './rotating-file-stream';
export type {
  LoggingSettingsSource,
  SecretLike,
  StructuredLogger,
  TelemetrySettingsSource,
} from './settings-source';
export {
  type MetricReaderFactory,
  type SetupTelemetryOptions,
  setupTelemetry,
  type Telemetry,
} from './setup-telemetry';
export { type DatadogConfig, fromSettings, type TelemetryConfig } from './telemetry-config';
export { TelemetryConfigError } from './telemetry-config-error';
export type { LettaTemporality } from './temporality';
