export { type Logger, REDACTED, type SecretLike } from '@letta/core';
export { type CreateLoggerOptions, createLogger } from './create-logger';
export { datadogEnvironment } from './datadog';
export { createEndpointMetrics, type EndpointMetrics, type RouteMetrics } from './endpoint-metrics';
export { TelemetryExporterMissingError } from './exporter-missing-error';
export { type LoggerOptions, loggerOptionsFromSettings } from './logger-options';
export type { InstrumentKind, MetricDefinition } from './metric-definitions';
export { lettaMetrics } from './metric-definitions';
export {
  createMetricRegistry,
  METER_NAME,
  type MetricRegistry,
  type MetricRegistryOptions,
} from './metric-registry';
export { TelemetryExportError } from './otlp-http-send';
export type { OtlpProtocol, OtlpSignal, OtlpTarget } from './otlp-target';
export { otlpTarget } from './otlp-target';
export type { MetricsScrape, PrometheusEndpoint, PrometheusOptions } from './prometheus-endpoint';
export { redactSecrets } from './redact-secrets';
export {
  requestContextAttributes,
  requestContextFromHeaders,
  runWithRequestContext,
} from './request-context';
export type { RotatingFileOptions } from './rotating-file-stream';
export type { LoggerSettingsInput, TelemetrySettingsInput } from './settings-input';
export {
  type MetricReaderFactory,
  type SetupTelemetryOptions,
  setupTelemetry,
  type Telemetry,
} from './setup-telemetry';
export {
  type DatadogOptions,
  type Environment,
  type TelemetryOptions,
  telemetryOptionsFromSettings,
} from './telemetry-options';
export { TelemetryOptionsError } from './telemetry-options-error';
export type { LettaTemporality } from './temporality';
export type { TraceSampler, TraceSamplerName } from './trace-sampler';
