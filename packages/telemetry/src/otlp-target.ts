import { redactCredentials } from '@letta/core';
import { TelemetryOptionsError, type ValueOrigin } from './telemetry-options-error';

/** The OTLP wire protocols the SDK speaks, named as `OTEL_EXPORTER_OTLP_PROTOCOL` names them. */
export type OtlpProtocol = 'grpc' | 'http/protobuf' | 'http/json';

export type OtlpSignal = 'traces' | 'metrics';

/** Where one signal is exported and how. */
export interface OtlpTarget {
  protocol: OtlpProtocol;
  url: string;
}

const protocols: readonly string[] = ['grpc', 'http/protobuf', 'http/json'] satisfies OtlpProtocol[];
const signalPath = /\/v1\/(?:traces|metrics|logs)$/;

/**
 * Checks the endpoint once and gives it a scheme when it has none (`collector:4317` is how gRPC
 * endpoints are often written), so later URL handling cannot fail.
 */
export function checkOtlpEndpoint(endpoint: string, origin: ValueOrigin): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `http://${endpoint}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    url = new URL('invalid:');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw TelemetryOptionsError.forValue(
      origin,
      (name) =>
        `${name} must be an http(s) URL of an OTLP collector, such as http://localhost:4317 (gRPC) or ` +
        `http://localhost:4318 (HTTP), but it is "${redactCredentials(endpoint)}". Fix the value, or unset it to turn OTLP off.`,
    );
  }
  return withScheme;
}

/**
 * Chooses the protocol and URL for one signal. The protocol comes from the per-signal or general
 * `OTEL_EXPORTER_OTLP_*PROTOCOL` variable, else gRPC for port 4317 (Letta's collector port) and
 * HTTP/protobuf for anything else. HTTP URLs get `/v1/<signal>`, which the JS exporters do not add to a
 * URL given in code; a signal path already on the endpoint is replaced, never doubled.
 */
export function otlpTarget(
  endpoint: string,
  signal: OtlpSignal,
  warn: (message: string) => void = () => {},
): OtlpTarget {
  const url = new URL(checkOtlpEndpoint(endpoint, { path: 'endpoint' }));
  const fallback: OtlpProtocol = url.port === '4317' ? 'grpc' : 'http/protobuf';
  const protocol = protocolFromEnv(signal, warn) ?? fallback;
  if (protocol === 'grpc') return { protocol, url: url.origin };
  const base = `${url.origin}${url.pathname}`.replace(/\/+$/, '').replace(signalPath, '');
  return { protocol, url: `${base}/v1/${signal}` };
}

function protocolFromEnv(signal: OtlpSignal, warn: (message: string) => void): OtlpProtocol | undefined {
  const names = [`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_PROTOCOL`, 'OTEL_EXPORTER_OTLP_PROTOCOL'];
  for (const name of names) {
    const value = process.env[name]?.trim();
    if (!value) continue;
    if (protocols.includes(value)) return value as OtlpProtocol;
    warn(`${name} is "${value}", which is not one of ${protocols.join(', ')}; using the default protocol.`);
    return undefined;
  }
  return undefined;
}
