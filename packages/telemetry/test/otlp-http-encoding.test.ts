import { gunzipSync } from 'node:zlib';
import type { ExportResult } from '@opentelemetry/core';
import {
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { type OtlpReceiver, startOtlpReceiver } from '@test/support';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMetricExporter, createSpanExporter } from '../src/otlp-exporters';
import { type OtlpProtocol, otlpTarget } from '../src/otlp-target';
import { sampleMetrics, sampleSpans } from './otlp-samples';
import { protobufTree } from './protobuf-tree';

// What the built-in exporter sends, decoded, against what the official OpenTelemetry serializers
// produce for the same spans and metrics.

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(() => {
  receiver.server.close();
  vi.unstubAllEnvs();
});

const noWarnings = (message: string) => expect.fail(`unexpected warning: ${message}`);

async function sentSpans(protocol: OtlpProtocol) {
  vi.stubEnv('OTEL_EXPORTER_OTLP_PROTOCOL', protocol);
  const exporter = await createSpanExporter(otlpTarget(receiver.endpoint, 'traces'), noWarnings);
  const spans = await sampleSpans();
  const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
  await exporter.shutdown();
  return { spans, result, sent: body(receiver.received.at(-1)) };
}

async function sentMetrics(protocol: OtlpProtocol, temporality: AggregationTemporality) {
  vi.stubEnv('OTEL_EXPORTER_OTLP_PROTOCOL', protocol);
  const exporter = await createMetricExporter(otlpTarget(receiver.endpoint, 'metrics'), 2, noWarnings);
  const collections = await sampleMetrics(temporality);
  const results: ExportResult[] = [];
  for (const metrics of collections)
    results.push(await new Promise((resolve) => exporter.export(metrics, resolve)));
  await exporter.shutdown();
  return { collections, results, sent: receiver.received.map(body) };
}

function body(request: OtlpReceiver['received'][number] | undefined): Buffer {
  if (!request) throw new Error('the receiver got no export');
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(request.body) : request.body;
}

/** OTLP/JSON keys whose values are 64-bit integers, which the official serializer writes as numbers. */
const int64Keys = new Set([
  'intValue',
  'asInt',
  'count',
  'zeroCount',
  'bucketCounts',
  'startTimeUnixNano',
  'timeUnixNano',
  'endTimeUnixNano',
]);

/** Parsed OTLP/JSON with int64 values as strings and empty strings left out, as OTLP/JSON readers take them. */
function comparableJson(bytes: Uint8Array): unknown {
  return JSON.parse(Buffer.from(bytes).toString(), (key, value) => {
    if (value === '') return undefined;
    if (int64Keys.has(key)) return Array.isArray(value) ? value.map(String) : String(value);
    return value;
  });
}

describe('built-in OTLP/HTTP exporter, against the official serializers', () => {
  it('encodes spans as http/protobuf to the same message: ids, kinds, flags, events, links, status, attributes of every type, resource and scopes', async () => {
    const { spans, result, sent } = await sentSpans('http/protobuf');
    expect(result).toEqual({ code: 0 });
    expect(receiver.received.at(-1)?.contentType).toBe('application/x-protobuf');
    const official = ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;
    expect(protobufTree(sent)).toEqual(protobufTree(official));
    console.log(`${spans.length} spans: ${sent.length} protobuf bytes sent, official ${official.length}`);
  });

  it('encodes spans as http/json to the same document, with hex ids and 64-bit integers as strings', async () => {
    const { spans, sent } = await sentSpans('http/json');
    expect(receiver.received.at(-1)?.contentType).toBe('application/json');
    const official = JsonTraceSerializer.serializeRequest(spans) as Uint8Array;
    expect(comparableJson(sent)).toEqual(comparableJson(official));
    const span = JSON.parse(sent.toString()).resourceSpans[0].scopeSpans[0].spans[0];
    expect(span.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span.startTimeUnixNano).toBe('1700000000123456789');
    expect(span.attributes.find((a: { key: string }) => a.key === 'int.large').value).toEqual({
      intValue: '9007199254740994',
    });
  });

  for (const [name, temporality] of [
    ['delta', AggregationTemporality.DELTA],
    ['cumulative', AggregationTemporality.CUMULATIVE],
  ] as const) {
    it(`encodes ${name} sums, gauges, histograms and exponential histograms as http/protobuf to the same messages`, async () => {
      const { collections, results, sent } = await sentMetrics('http/protobuf', temporality);
      expect(results).toEqual([{ code: 0 }, { code: 0 }]);
      expect(sent.map(protobufTree)).toEqual(
        collections.map((metrics) =>
          protobufTree(ProtobufMetricsSerializer.serializeRequest(metrics) as Uint8Array),
        ),
      );
      const kinds = collections[0]?.scopeMetrics[0]?.metrics.map(
        (m) => `${m.descriptor.name}:${m.dataPointType}`,
      );
      console.log(`${name}: ${kinds?.join(' ')}; bytes sent ${sent.map((b) => b.length).join(', ')}`);
    });

    it(`encodes ${name} metrics as http/json to the same documents`, async () => {
      const { collections, sent } = await sentMetrics('http/json', temporality);
      expect(sent.map(comparableJson)).toEqual(
        collections.map((metrics) =>
          comparableJson(JsonMetricsSerializer.serializeRequest(metrics) as Uint8Array),
        ),
      );
    });
  }

  it('gzips the body when OTEL_EXPORTER_OTLP_COMPRESSION is gzip', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', 'gzip');
    const { spans, sent } = await sentSpans('http/protobuf');
    const request = receiver.received.at(-1);
    expect(request?.headers['content-encoding']).toBe('gzip');
    expect(protobufTree(sent)).toEqual(
      protobufTree(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array),
    );
    console.log(`gzip: ${request?.body.length} bytes on the wire for ${sent.length} bytes of protobuf`);
  });

  it('sends OTEL_EXPORTER_OTLP_HEADERS, the per-signal ones winning, and never the endpoint credentials', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_HEADERS', 'api-key=general,x-tenant=acme%20corp');
    vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'api-key=for-traces');
    const endpoint = receiver.endpoint.replace('http://', 'http://otel:s%3Acret@');
    const exporter = await createSpanExporter(otlpTarget(endpoint, 'traces'), noWarnings);
    const spans = await sampleSpans();
    await new Promise((resolve) => exporter.export(spans, resolve));
    const { headers, path } = receiver.received[0] ?? expect.fail('nothing received');
    expect(path).toBe('/v1/traces');
    expect(headers['api-key']).toBe('for-traces');
    expect(headers['x-tenant']).toBe('acme corp');
    expect(headers.authorization).toBeUndefined();
  });
});
