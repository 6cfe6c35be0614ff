import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { freePort, startOtlpReceiver } from '@test/support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSpanExporter } from '../src/otlp-exporters';
import { otlpTarget } from '../src/otlp-target';
import { sampleSpans } from './otlp-samples';

// The built-in OTLP/HTTP exporter against collectors that fail: what the SDK is told, and how long it took.

const SECRET = 'collector-api-key-value';

afterEach(() => vi.unstubAllEnvs());

async function exportTo(endpoint: string, spans: ReadableSpan[]) {
  const warnings: string[] = [];
  const exporter = await createSpanExporter(otlpTarget(endpoint, 'traces'), (m) => warnings.push(m));
  const started = performance.now();
  const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
  const elapsedMs = Math.round(performance.now() - started);
  await exporter.shutdown();
  return { result, elapsedMs, warnings };
}

describe('built-in OTLP/HTTP exporter against failing collectors', () => {
  it('retries a 503 and succeeds when the collector answers 200', async () => {
    const receiver = await startOtlpReceiver([503, 200]);
    try {
      const { result, elapsedMs } = await exportTo(receiver.endpoint, await sampleSpans());
      expect(result).toEqual({ code: 0 });
      expect(receiver.received.map((r) => r.path)).toEqual(['/v1/traces', '/v1/traces']);
      expect(receiver.received[1]?.body).toEqual(receiver.received[0]?.body);
      console.log(`503 then 200: success after ${receiver.received.length} requests in ${elapsedMs} ms`);
    } finally {
      receiver.server.close();
    }
  });

  it('gives up on a collector that stays unavailable once the export timeout leaves no time to retry', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_TIMEOUT', '2500');
    const receiver = await startOtlpReceiver(503);
    try {
      const { result, elapsedMs } = await exportTo(receiver.endpoint, await sampleSpans());
      expect(result.code).toBe(1);
      expect(result.error?.message).toBe(
        `OTLP export to ${receiver.endpoint}v1/traces failed: HTTP 503 Service Unavailable, and no time is left for a retry within 2500 ms.`,
      );
      expect(receiver.received.length).toBeGreaterThan(1);
      console.log(
        `503 forever: failed after ${receiver.received.length} requests in ${elapsedMs} ms (timeout 2500)`,
      );
    } finally {
      receiver.server.close();
    }
  });

  it('does not retry a 400', async () => {
    const receiver = await startOtlpReceiver(400);
    try {
      const { result } = await exportTo(receiver.endpoint, await sampleSpans());
      expect(result.error?.message).toMatch(/failed: HTTP 400 Bad Request\.$/);
      expect(receiver.received).toHaveLength(1);
    } finally {
      receiver.server.close();
    }
  });

  it('fails within the export timeout against a collector that never answers', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', '400');
    const silent = createServer(() => {});
    const sockets = new Set<Socket>();
    silent.on('connection', (socket: Socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const { result, elapsedMs } = await exportTo(`http://127.0.0.1:${port}`, await sampleSpans());
      expect(result.code).toBe(1);
      expect(result.error?.message).toBe(
        `OTLP export to http://127.0.0.1:${port}/v1/traces failed: no answer within the export timeout of 400 ms.`,
      );
      console.log(`silent collector: failed in ${elapsedMs} ms (timeout 400)`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('reports a refused connection without the header values', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_HEADERS', `api-key=${SECRET}`);
    const port = await freePort();
    const { result, elapsedMs, warnings } = await exportTo(
      `http://otel:${SECRET}@127.0.0.1:${port}/`,
      await sampleSpans(),
    );
    expect(result.code).toBe(1);
    expect(result.error?.message).toBe(
      `OTLP export to http://127.0.0.1:${port}/v1/traces failed: ECONNREFUSED.`,
    );
    const reported = [
      result.error?.stack,
      String(result.error?.cause),
      JSON.stringify(result.error),
      ...warnings,
    ];
    expect(reported.join('\n')).not.toContain(SECRET);
    console.log(`refused: ${result.error?.message} in ${elapsedMs} ms`);
  });

  it('fails an export after shutdown without sending it', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const exporter = await createSpanExporter(otlpTarget(receiver.endpoint, 'traces'), () => {});
      await exporter.shutdown();
      const result = await new Promise<ExportResult>((resolve) => exporter.export([], resolve));
      expect(result.code).toBe(1);
      expect(receiver.received).toHaveLength(0);
    } finally {
      receiver.server.close();
    }
  });
});
