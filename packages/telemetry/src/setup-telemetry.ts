import { BOUND_INSTRUMENTS, type Logger, silentLogger } from '@letta/core';
import {
  createNoopMeter,
  type MeterProvider,
  ProxyTracerProvider,
  type TracerProvider,
} from '@opentelemetry/api';
import type { IMetricReader, MetricProducer } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { applyEnvironmentDefaults, datadogEnvironment, startDatadog } from './datadog';
import { registerGlobally, routeDiagnostics } from './global-registration';
import { createMetricExporter, createSpanExporter } from './otlp-exporters';
import { otlpTarget } from './otlp-target';
import { PreAggregation } from './pre-aggregation';
import {
  createPrometheusEndpoint,
  type PrometheusEndpoint,
  type PrometheusOptions,
} from './prometheus-endpoint';
import { buildResource } from './resource';
import { loadSdk, type Sdk } from './sdk-modules';
import { checkTelemetryOptions, type TelemetryOptions } from './telemetry-options';
import { createSampler } from './trace-sampler';

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
  logger?: Logger;
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
  /**
   * Flushes and stops both providers and unregisters what setup registered; safe to call twice. With
   * `timeoutMs`, the final export gets at most that long: what it has not sent by then is dropped, with
   * one warning, so an unreachable collector cannot hold a shutdown.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

type DatadogProvider = NonNullable<Awaited<ReturnType<typeof startDatadog>>>;

/** What one setup call works with while it builds the providers. */
interface SetupContext {
  readonly options: TelemetryOptions;
  readonly setup: SetupTelemetryOptions;
  readonly logger: Logger;
  readonly warn: (message: string) => void;
  /** The OTLP endpoint when OTLP is on, else `null`. */
  readonly otlpEndpoint: string | null;
  readonly serviceVersion: string | undefined;
  readonly sdk: Sdk;
}

const noopMeterProvider: MeterProvider = { getMeter: () => createNoopMeter() };

/**
 * Sets up OpenTelemetry. OTLP traces and metrics are on only when an endpoint is set and tracing is not
 * disabled; Prometheus, injected readers and span processors turn their signal on independently. Only
 * this function registers global providers. Build the options from Letta's settings with
 * `telemetryOptionsFromSettings(settings)`.
 */
export async function setupTelemetry(
  options: TelemetryOptions,
  setup: SetupTelemetryOptions = {},
): Promise<Telemetry> {
  const checked = checkTelemetryOptions(options);
  const logger = setup.logger ?? silentLogger;
  if (process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') {
    logger.info({}, 'OTEL_SDK_DISABLED is true: telemetry stays off.');
    return disabledTelemetry();
  }
  const ctx: SetupContext = {
    options: checked,
    setup,
    logger,
    warn: (message) => logger.warn({}, message),
    otlpEndpoint: checked.disableTracing ? null : checked.otlpEndpoint,
    serviceVersion: setup.serviceVersion ?? process.env.LETTA_VERSION,
    sdk: await loadSdk(),
  };
  const { sdk } = ctx;

  const datadog = await startDatadogIfEnabled(ctx);
  const preAggregation = new PreAggregation(sdk);
  const { readers, prometheus, everyReaderPreAggregates } = await buildMetricReaders(ctx, preAggregation);
  const processors = await buildSpanProcessors(ctx, datadog);
  if (readers.length === 0 && processors.length === 0 && !datadog) return disabledTelemetry();

  const resource = buildResource(
    { serviceName: setup.serviceName, serviceVersion: ctx.serviceVersion, environment: checked.environment },
    sdk,
  );
  const meterProvider = readers.length > 0 ? new sdk.metrics.MeterProvider({ resource, readers }) : null;
  // Packages find the bound instruments on the provider; without them they record through the SDK.
  if (meterProvider && everyReaderPreAggregates)
    Object.defineProperty(meterProvider, BOUND_INSTRUMENTS, { value: preAggregation });
  const tracerProvider =
    processors.length > 0
      ? new sdk.trace.TracerProvider({
          resource,
          spanProcessors: processors,
          ...(checked.sampler && { sampler: createSampler(checked.sampler, sdk.trace) }),
        })
      : null;

  const registered: Array<() => void> = [];
  if (setup.registerGlobal !== false) {
    registered.push(...registerGlobally(meterProvider, tracerProvider, ctx.warn, sdk));
    if (setup.logger) registered.push(routeDiagnostics(setup.logger));
    datadog?.register();
  }

  return {
    meterProvider: meterProvider ?? noopMeterProvider,
    tracerProvider: datadog ?? tracerProvider ?? new ProxyTracerProvider(),
    enabled: {
      traces: processors.length > 0 || datadog !== null,
      metrics: readers.length > 0,
      datadog: datadog !== null,
    },
    prometheus,
    close: closeOnce([meterProvider, tracerProvider], registered, logger),
  };
}

async function startDatadogIfEnabled(ctx: SetupContext): Promise<DatadogProvider | null> {
  const { datadog, environment } = ctx.options;
  if (!datadog) return null;
  applyEnvironmentDefaults(datadogEnvironment(datadog, environment, ctx.serviceVersion));
  return startDatadog(ctx.logger);
}

/**
 * The injected readers, then OTLP's periodic push and Prometheus' pull, each when it is on. Each reader
 * built here also reports the pre-aggregated instruments, in its own temporality; an injected reader
 * object cannot, which `everyReaderPreAggregates` says.
 */
async function buildMetricReaders(
  ctx: SetupContext,
  preAggregation: PreAggregation,
): Promise<{
  readers: IMetricReader[];
  prometheus: PrometheusEndpoint | null;
  everyReaderPreAggregates: boolean;
}> {
  const withPreAggregation = (build: MetricReaderFactory): IMetricReader => {
    const reader: IMetricReader = build(
      preAggregation.producer(() =>
        reader.selectAggregationTemporality(ctx.sdk.metrics.InstrumentType.HISTOGRAM),
      ),
    );
    return reader;
  };
  const injected = ctx.setup.metricReaders ?? [];
  const readers = injected.map((reader) =>
    typeof reader === 'function' ? withPreAggregation(reader) : reader,
  );
  const everyReaderPreAggregates = injected.every((reader) => typeof reader === 'function');
  if (ctx.otlpEndpoint) {
    const exporter = await createMetricExporter(
      otlpTarget(ctx.otlpEndpoint, 'metrics', ctx.warn),
      ctx.options.preferredTemporality,
      ctx.warn,
    );
    const schedule = exportSchedule(ctx.setup.metricExportIntervalMs);
    readers.push(
      withPreAggregation(
        (producer) =>
          new ctx.sdk.metrics.PeriodicExportingMetricReader({
            exporter,
            metricProducers: [producer],
            ...schedule,
          }),
      ),
    );
  }
  if (!ctx.setup.prometheus) return { readers, prometheus: null, everyReaderPreAggregates };
  const created = await createPrometheusEndpoint(
    ctx.setup.prometheus === true ? {} : ctx.setup.prometheus,
    preAggregation.producer(() => ctx.sdk.metrics.AggregationTemporality.CUMULATIVE),
  );
  readers.push(created.reader);
  return { readers, prometheus: created.endpoint, everyReaderPreAggregates };
}

/** The injected processors and OTLP's batch export; none when dd-trace owns tracing. */
async function buildSpanProcessors(
  ctx: SetupContext,
  datadog: DatadogProvider | null,
): Promise<SpanProcessor[]> {
  const injected = ctx.setup.spanProcessors ?? [];
  if (datadog) {
    if (injected.length > 0) ctx.warn('dd-trace owns tracing, so the given span processors are not used.');
    return [];
  }
  if (!ctx.otlpEndpoint) return [...injected];
  const exporter = await createSpanExporter(otlpTarget(ctx.otlpEndpoint, 'traces', ctx.warn), ctx.warn);
  return [...injected, new ctx.sdk.trace.BatchSpanProcessor({ exporter })];
}

/** Flushes and stops the providers, then undoes the registrations; later calls share the first close. */
function closeOnce(
  providers: ReadonlyArray<{ shutdown(): Promise<void> } | null>,
  registered: ReadonlyArray<() => void>,
  logger: Logger,
): (options?: { timeoutMs?: number }) => Promise<void> {
  let closing: Promise<void> | undefined;
  return ({ timeoutMs = Number.POSITIVE_INFINITY } = {}) => {
    closing ??= (async () => {
      const flushed = Promise.allSettled(providers.map((provider) => provider?.shutdown()));
      const results = await withinBudget(flushed, timeoutMs);
      for (const unregister of registered) unregister();
      if (results === 'expired') {
        logger.warn(
          { timeoutMs: Math.round(timeoutMs) },
          'Telemetry did not finish its final export in time; what was left is dropped.',
        );
        return;
      }
      const failed = results.filter((result) => result.status === 'rejected');
      if (failed.length > 0) {
        const reason = String((failed[0] as PromiseRejectedResult).reason);
        logger.warn({ reason }, 'Telemetry did not flush cleanly at close.');
      }
    })();
    return closing;
  };
}

/** `work`'s result, or `expired` once `timeoutMs` has passed first. */
async function withinBudget<T>(work: Promise<T>, timeoutMs: number): Promise<T | 'expired'> {
  if (!Number.isFinite(timeoutMs)) return work;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), Math.max(0, timeoutMs));
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function disabledTelemetry(): Telemetry {
  return {
    meterProvider: noopMeterProvider,
    tracerProvider: new ProxyTracerProvider(),
    enabled: { traces: false, metrics: false, datadog: false },
    prometheus: null,
    close: () => Promise.resolve(),
  };
}

/** `OTEL_METRIC_EXPORT_INTERVAL` / `_TIMEOUT` as the SDK reads them; the timeout never exceeds the interval. */
function exportSchedule(intervalOption: number | undefined) {
  const exportIntervalMillis = intervalOption ?? (Number(process.env.OTEL_METRIC_EXPORT_INTERVAL) || 60_000);
  const timeout = Number(process.env.OTEL_METRIC_EXPORT_TIMEOUT) || 30_000;
  return { exportIntervalMillis, exportTimeoutMillis: Math.min(timeout, exportIntervalMillis) };
}
