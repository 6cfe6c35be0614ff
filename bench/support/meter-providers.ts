import { setupTelemetry } from '@letta/telemetry';
import type { MeterProvider as MeterProviderApi } from '@opentelemetry/api';
import {
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';

/** A meter provider collecting every second, as a service exporting its metrics would. */
export interface CollectingProvider {
  readonly meterProvider: MeterProviderApi;
  close(): Promise<void>;
}

/** A plain SDK MeterProvider: every record goes through `@opentelemetry/api` and the SDK. */
export function sdkProvider(): Promise<CollectingProvider> {
  const exporter = new InMemoryMetricExporter(0);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 1_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return Promise.resolve({ meterProvider, close: () => meterProvider.shutdown() });
}

/** @letta/telemetry's SDK MeterProvider: hot histograms are pre-aggregated and handed over at collection. */
export async function telemetryProvider(): Promise<CollectingProvider> {
  const telemetry = await setupTelemetry(
    { otlpEndpoint: null, disableTracing: false, preferredTemporality: 1, environment: null, datadog: null },
    {
      registerGlobal: false,
      metricReaders: [
        (producer) =>
          new PeriodicExportingMetricReader({
            exporter: new InMemoryMetricExporter(0),
            exportIntervalMillis: 1_000,
            metricProducers: [producer],
          }),
      ],
    },
  );
  return { meterProvider: telemetry.meterProvider, close: () => telemetry.close() };
}
