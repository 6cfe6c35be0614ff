import { createLogger, createMetricRegistry, setupTelemetry } from '@letta/telemetry';

async function main(): Promise<void> {
  const telemetry = await setupTelemetry(
    { otlpEndpoint: null, disableTracing: false, preferredTemporality: 1, environment: 'dev', datadog: null },
    { prometheus: true },
  );
  const registry = createMetricRegistry();
  createLogger({ level: 'info', json: true, lettaDir: '.' });
  registry.endpointRequestCounter.add(1, { endpoint_path: '/v1/agents', method: 'GET', status_code: 200 });
  const page = await telemetry.prometheus?.scrape();
  await telemetry.shutdown();
  console.log(
    'ok telemetry',
    page?.body.split('\n').find((line) => line.startsWith('count_endpoint_requests')),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
