import { setupTelemetry, TelemetryExporterMissingError } from '@letta/telemetry';

// The scratch project installs the Prometheus exporter only. OTLP over HTTP is built in; OTLP over gRPC
// (Letta's collector port, 4317) needs an exporter package, and must say which to install.
async function main(): Promise<void> {
  const options = {
    otlpEndpoint: 'http://127.0.0.1:4317',
    disableTracing: false,
    preferredTemporality: null,
    environment: null,
    datadog: null,
  };
  const error = await setupTelemetry(options).then(
    (telemetry) => telemetry.close().then(() => null),
    (caught: unknown) => caught,
  );
  if (!(error instanceof TelemetryExporterMissingError) || !error.packageName.includes('otlp-grpc'))
    throw new Error(`expected the missing gRPC exporter, got ${error}`);
  console.log('ok telemetry-missing-exporter', error.code, error.packageName);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
