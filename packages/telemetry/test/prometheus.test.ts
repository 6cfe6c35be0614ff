import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMetricRegistry, setupTelemetry, type Telemetry } from '@letta/telemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { telemetryOptions } from './fixtures';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the sample lines of the Prometheus text format (comments skipped). */
function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [
          m[1],
          m[2],
        ]),
      );
      return { name: match[1] as string, labels, value: Number(match[3]) };
    });
}

let telemetry: Telemetry | undefined;
let server: Server | undefined;
afterEach(async () => {
  server?.close();
  await telemetry?.close();
});

describe('Prometheus /metrics', () => {
  it('serves app metrics on a mounted handler with OTLP off', async () => {
    telemetry = await setupTelemetry(telemetryOptions(), { prometheus: true });
    expect(telemetry.enabled).toEqual({ traces: false, metrics: true, datadog: false });
    const endpoint = telemetry.prometheus;
    if (!endpoint) throw new Error('prometheus endpoint missing');

    const registry = createMetricRegistry();
    registry.endpointRequestCounter.add(3, {
      endpoint_path: '/v1/agents/{id}/messages',
      method: 'POST',
      status_code: 200,
    });
    registry.executorBacklogGauge.record(4, { executor: 'tools' });
    registry.endpointE2eMsHistogram.record(120, { endpoint_path: '/v1/agents/{id}/messages' });

    server = createServer((request, response) => {
      if (request.url === '/metrics') endpoint.handler(request, response);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parseExposition(await response.text());

    expect(samples.find((s) => s.name === 'count_endpoint_requests_total')).toMatchObject({
      labels: { endpoint_path: '/v1/agents/{id}/messages', method: 'POST', status_code: '200' },
      value: 3,
    });
    expect(samples.find((s) => s.name === 'executor_backlog')).toMatchObject({
      labels: { executor: 'tools' },
      value: 4,
    });
    expect(samples.find((s) => s.name === 'hist_endpoint_e2e_ms_count')?.value).toBe(1);
    expect(samples.find((s) => s.name === 'hist_endpoint_e2e_ms_sum')?.value).toBe(120);
    expect(samples.find((s) => s.name === 'target_info')?.labels.service_name).toBe('letta-server');
  });

  it('returns the exposition text and content type from scrape()', async () => {
    telemetry = await setupTelemetry(telemetryOptions(), { prometheus: { withoutTargetInfo: true } });
    createMetricRegistry().readinessStateGauge.record(1, { reason: 'ready' });
    const scrape = await telemetry.prometheus?.scrape();
    expect(scrape?.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parseExposition(scrape?.body ?? '');
    expect(samples.map((s) => s.name)).toEqual(['readiness_state']);
    expect(samples[0]?.labels.reason).toBe('ready');
  });
});
