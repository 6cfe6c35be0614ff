import { loadSettings } from '@letta/settings';
import {
  createLogger,
  createMetricRegistry,
  loggerOptionsFromSettings,
  setupTelemetry,
  telemetryOptionsFromSettings,
} from '@letta/telemetry';

async function main(): Promise<void> {
  const settings = loadSettings({ env: {}, dotenv: false });
  const telemetry = await setupTelemetry(telemetryOptionsFromSettings(settings), { prometheus: true });
  const registry = createMetricRegistry();
  createLogger(loggerOptionsFromSettings(settings));
  registry.endpointRequestCounter.add(1, { endpoint_path: '/v1/agents', method: 'GET', status_code: 200 });
  const page = await telemetry.prometheus?.scrape();
  await telemetry.close();
  console.log(
    'ok telemetry',
    page?.body.split('\n').find((line) => line.startsWith('count_endpoint_requests')),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
