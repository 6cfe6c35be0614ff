import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One export an OTLP receiver was sent. */
export interface OtlpExport {
  path: string;
  contentType: string;
  headers: IncomingHttpHeaders;
  /** The body as sent (still gzipped when the request says so). */
  body: Buffer;
}

/** A running receiver: its endpoint (with a trailing slash), what it was sent so far, and its server. */
export interface OtlpReceiver {
  readonly endpoint: string;
  readonly received: OtlpExport[];
  readonly server: Server;
}

/**
 * A minimal OTLP/HTTP collector on a free loopback port that keeps every export. It answers `status`,
 * or with a list, the n-th request with the n-th status (the last one for the rest).
 */
export async function startOtlpReceiver(status: number | readonly number[] = 200): Promise<OtlpReceiver> {
  const statuses = typeof status === 'number' ? [status] : status;
  const received: OtlpExport[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        contentType: String(request.headers['content-type']),
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      response.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)] ?? 200;
      response.setHeader('content-type', String(request.headers['content-type']));
      response.end(request.headers['content-type'] === 'application/json' ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}/`, received, server };
}

/** A span as OTLP/JSON carries it (ids in hex). */
export interface OtlpJsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  /** 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

/** Every span in the OTLP/JSON trace exports received so far. */
export function otlpJsonSpans(received: readonly OtlpExport[]): OtlpJsonSpan[] {
  return received
    .filter((r) => r.path.endsWith('/v1/traces') && r.contentType === 'application/json')
    .flatMap((r) => JSON.parse(r.body.toString()).resourceSpans)
    .flatMap((rs: { scopeSpans: Array<{ spans: OtlpJsonSpan[] }> }) =>
      rs.scopeSpans.flatMap((ss) => ss.spans),
    );
}

/** A span attribute's value, whatever its OTLP type; an `intValue` (a string in OTLP/JSON) as a number. */
export function otlpAttribute(span: OtlpJsonSpan, key: string): unknown {
  const value = span.attributes.find((attribute) => attribute.key === key)?.value;
  if (value === undefined) return undefined;
  return 'intValue' in value ? Number(value.intValue) : Object.values(value)[0];
}
