import { setupTelemetry, TelemetryExporterMissingError } from '@letta/telemetry';

// The scratch project installs the Prometheus exporter only: OTLP over HTTP must say what to install.
async function main(): Promise<void> {
  const options = {
    otlpEndpoint: 'http://127.0.0.1:4318',
    disableTracing: false,
    preferredTemporality: null,
    environment: null,
    datadog: null,
  };
  const error = await setupTelemetry(options).then(
    (telemetry) => telemetry.close().then(() => null),
    (caught: unknown) => caught,
  );
  if (!(error instanceof TelemetryExporterMissingError))
    throw new Error(`expected the missing exporter, got ${error}`);
  console.log('ok telemetry-missing-exporter', error.code, error.packageName);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
