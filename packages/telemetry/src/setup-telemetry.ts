import { BOUND_INSTRUMENTS } from '@letta/core';
import {
  context,
  createNoopMeter,
  DiagLogLevel,
  diag,
  type MeterProvider,
  metrics,
  ProxyTracerProvider,
  propagation,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AggregationTemporality,
  type IMetricReader,
  InstrumentType,
  type MetricProducer,
  PeriodicExportingMetricReader,
  MeterProvider as SdkMeterProvider,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { applyEnvironmentDefaults, datadogEnvironment, startDatadog } from './datadog';
import { createMetricExporter, createSpanExporter } from './otlp-exporters';
import { otlpTarget } from './otlp-target';
import { PreAggregation } from './pre-aggregation';
import {
  createPrometheusEndpoint,
  type PrometheusEndpoint,
  type PrometheusOptions,
} from './prometheus-endpoint';
import { redactCredentials } from './redact-secrets';
import { buildResource } from './resource';
import type { StructuredLogger, TelemetrySettingsSource } from './settings-source';
import { type TelemetryConfig, toTelemetryConfig } from './telemetry-config';

export interface SetupTelemetryOptions {
  /** `service.name`; defaults to `OTEL_SERVICE_NAME`, else `letta-server[-<ENV_NAME>]`. */
  serviceName?: string;
  /** `service.version` (and Datadog's `DD_VERSION`); defaults to `LETTA_VERSION`. */
  serviceVersion?: string;
  /** Turns on the Prometheus pull exporter; `telemetry.prometheus` then serves `/metrics`. */
  prometheus?: boolean | PrometheusOptions;
  /**
   * Extra metric readers, e.g. an in-memory one in tests; they turn metrics on by themselves. A reader
   * given as a function is built with the producer of the pre-aggregated instruments (pass it in the
   * reader's `metricProducers`); a reader given as an object cannot receive them, so while one is given
   * the packages record every instrument through the SDK instead.
   */
  metricReaders?: Array<IMetricReader | MetricReaderFactory>;
  /** Extra span processors, e.g. an in-memory one in tests; they turn traces on by themselves. */
  spanProcessors?: SpanProcessor[];
  /** Register the providers, context manager and propagator globally (default true). */
  registerGlobal?: boolean;
  /** How often OTLP metrics are pushed; defaults to `OTEL_METRIC_EXPORT_INTERVAL`, else 60 000 ms. */
  metricExportIntervalMs?: number;
  /**
   * Where setup problems and the SDK's own warnings (failed exports) are reported; a pino logger fits.
   * Silent by default.
   */
  logger?: StructuredLogger;
}

/**
 * Builds a metric reader that also reports the pre-aggregated instruments, from the producer given:
 * `(producer) => new PeriodicExportingMetricReader({ exporter, metricProducers: [producer] })`.
 */
export type MetricReaderFactory = (preAggregated: MetricProducer) => IMetricReader;

/** What `setupTelemetry` built. In disabled mode every part is a no-op and nothing is registered. */
export interface Telemetry {
  readonly meterProvider: MeterProvider;
  readonly tracerProvider: TracerProvider;
  /** Which signals are recorded and exported; `datadog` is true when dd-trace owns tracing. */
  readonly enabled: { readonly traces: boolean; readonly metrics: boolean; readonly datadog: boolean };
  /** The `/metrics` page when the Prometheus exporter is on, else `null`. */
  readonly prometheus: PrometheusEndpoint | null;
  /** Flushes and stops both providers and unregisters what setup registered; safe to call twice. */
  shutdown(): Promise<void>;
}

const silent: StructuredLogger = { debug() {}, info() {}, warn() {}, error() {} };
const noopMeterProvider: MeterProvider = { getMeter: () => createNoopMeter() };

/**
 * Sets up OpenTelemetry from Letta's settings (or plain options). OTLP traces and metrics are on only
 * when an endpoint is set and tracing is not disabled; Prometheus, injected readers and span processors
 * turn their signal on independently. Only this function registers global providers.
 */
export async function setupTelemetry(
  source: TelemetrySettingsSource | TelemetryConfig,
  options: SetupTelemetryOptions = {},
): Promise<Telemetry> {
  const config = toTelemetryConfig(source);
  const logger = options.logger ?? silent;
  if (process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') {
    logger.info({}, 'OTEL_SDK_DISABLED is true: telemetry stays off.');
    return disabledTelemetry();
  }

  const warn = (message: string) => logger.warn({}, message);
  const otlpEndpoint = config.disableTracing ? null : config.otlpEndpoint;

  const serviceVersion = options.serviceVersion ?? process.env.LETTA_VERSION;

  let datadogProvider: Awaited<ReturnType<typeof startDatadog>> = null;
  if (config.datadog) {
    applyEnvironmentDefaults(datadogEnvironment(config.datadog, config.environment, serviceVersion));
    datadogProvider = await startDatadog(logger);
  }

  const preAggregation = new PreAggregation();
  const readers: IMetricReader[] = [];
  let everyReaderPreAggregates = true;
  /** Builds a reader whose producer of pre-aggregated instruments reports in the reader's temporality. */
  const withPreAggregation = (build: MetricReaderFactory): IMetricReader => {
    const reader: IMetricReader = build(
      preAggregation.producer(() => reader.selectAggregationTemporality(InstrumentType.HISTOGRAM)),
    );
    return reader;
  };
  for (const reader of options.metricReaders ?? []) {
    if (typeof reader === 'function') readers.push(withPreAggregation(reader));
    else {
      readers.push(reader);
      everyReaderPreAggregates = false;
    }
  }
  if (otlpEndpoint) {
    const exporter = await createMetricExporter(
      otlpTarget(otlpEndpoint, 'metrics', warn),
      config.preferredTemporality,
    );
    readers.push(
      withPreAggregation(
        (producer) =>
          new PeriodicExportingMetricReader({
            exporter,
            metricProducers: [producer],
            ...exportSchedule(options.metricExportIntervalMs),
          }),
      ),
    );
  }
  let prometheus: PrometheusEndpoint | null = null;
  if (options.prometheus) {
    const created = await createPrometheusEndpoint(
      options.prometheus === true ? {} : options.prometheus,
      preAggregation.producer(() => AggregationTemporality.CUMULATIVE),
    );
    readers.push(created.reader);
    prometheus = created.endpoint;
  }

  const processors: SpanProcessor[] = [];
  if (datadogProvider) {
    if (options.spanProcessors?.length)
      warn('dd-trace owns tracing, so the given span processors are not used.');
  } else {
    processors.push(...(options.spanProcessors ?? []));
    if (otlpEndpoint)
      processors.push(
        new BatchSpanProcessor(await createSpanExporter(otlpTarget(otlpEndpoint, 'traces', warn))),
      );
  }

  if (readers.length === 0 && processors.length === 0 && !datadogProvider) return disabledTelemetry();

  const resource = buildResource({
    serviceName: options.serviceName,
    serviceVersion,
    environment: config.environment,
  });
  const meterProvider = readers.length > 0 ? new SdkMeterProvider({ resource, readers }) : null;
  // Packages find the bound instruments on the provider; without them they record through the SDK.
  if (meterProvider && everyReaderPreAggregates)
    Object.defineProperty(meterProvider, BOUND_INSTRUMENTS, { value: preAggregation });
  const sdkTracerProvider =
    processors.length > 0 ? new BasicTracerProvider({ resource, spanProcessors: processors }) : null;

  const registered: Array<() => void> = [];
  if (options.registerGlobal !== false) {
    registered.push(...register(meterProvider, sdkTracerProvider, warn));
    if (options.logger) registered.push(routeDiagnostics(options.logger));
    datadogProvider?.register();
  }

  let stopping: Promise<void> | undefined;
  const shutdown = () => {
    stopping ??= (async () => {
      const results = await Promise.allSettled([meterProvider?.shutdown(), sdkTracerProvider?.shutdown()]);
      for (const unregister of registered) unregister();
      for (const result of results) {
        if (result.status === 'rejected') {
          logger.warn({ reason: String(result.reason) }, 'Telemetry did not flush cleanly at shutdown.');
        }
      }
    })();
    return stopping;
  };

  return {
    meterProvider: meterProvider ?? noopMeterProvider,
    tracerProvider: datadogProvider ?? sdkTracerProvider ?? new ProxyTracerProvider(),
    enabled: {
      traces: processors.length > 0 || datadogProvider !== null,
      metrics: readers.length > 0,
      datadog: datadogProvider !== null,
    },
    prometheus,
    shutdown,
  };
}

function disabledTelemetry(): Telemetry {
  return {
    meterProvider: noopMeterProvider,
    tracerProvider: new ProxyTracerProvider(),
    enabled: { traces: false, metrics: false, datadog: false },
    prometheus: null,
    shutdown: () => Promise.resolve(),
  };
}

/** `OTEL_METRIC_EXPORT_INTERVAL` / `_TIMEOUT` as the SDK reads them; the timeout never exceeds the interval. */
function exportSchedule(intervalOption: number | undefined) {
  const exportIntervalMillis = intervalOption ?? (Number(process.env.OTEL_METRIC_EXPORT_INTERVAL) || 60_000);
  const timeout = Number(process.env.OTEL_METRIC_EXPORT_TIMEOUT) || 30_000;
  return { exportIntervalMillis, exportTimeoutMillis: Math.min(timeout, exportIntervalMillis) };
}

/** Registers globally what was built and returns how to undo each registration at shutdown. */
function register(
  meterProvider: SdkMeterProvider | null,
  tracerProvider: BasicTracerProvider | null,
  warn: (message: string) => void,
): Array<() => void> {
  const undo: Array<() => void> = [];
  if (meterProvider) {
    if (metrics.setGlobalMeterProvider(meterProvider)) {
      undo.push(() => metrics.disable());
    } else {
      warn(
        'A global meter provider was already registered; the new one is not global. Shut the old one down first.',
      );
    }
  }
  if (tracerProvider) {
    if (trace.setGlobalTracerProvider(tracerProvider)) {
      const contextManager = new AsyncLocalStorageContextManager().enable();
      const contextRegistered = context.setGlobalContextManager(contextManager);
      const propagatorRegistered = propagation.setGlobalPropagator(
        new CompositePropagator({
          propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
        }),
      );
      undo.push(() => {
        trace.disable();
        if (contextRegistered) context.disable();
        if (propagatorRegistered) propagation.disable();
      });
    } else {
      warn(
        'A global tracer provider was already registered; the new one is not global. Shut the old one down first.',
      );
    }
  }
  return undo;
}

/** Sends the SDK's diagnostics (export failures, dropped data) at warning level and above to the logger. */
function routeDiagnostics(logger: StructuredLogger): () => void {
  const report =
    (level: 'warn' | 'error') =>
    (message: string, ...args: unknown[]) =>
      logger[level](
        { source: 'opentelemetry' },
        redactCredentials([errorMessage(message), ...args.map(String)].join(' ')),
      );
  const ignore = () => {};
  diag.setLogger(
    { error: report('error'), warn: report('warn'), info: ignore, debug: ignore, verbose: ignore },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return () => diag.disable();
}

/** The SDK's error handler passes errors as JSON with the stack; the message alone reads better in a log. */
function errorMessage(text: string): string {
  if (!text.startsWith('{')) return text;
  try {
    const parsed: unknown = JSON.parse(text);
    const message = (parsed as { message?: unknown }).message;
    return typeof message === 'string' ? message : text;
  } catch {
    return text;
  }
}
