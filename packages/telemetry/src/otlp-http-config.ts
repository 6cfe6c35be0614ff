import type { OtlpSignal } from './otlp-target';

/** How one signal is sent over OTLP/HTTP: read once from the target and the `OTEL_EXPORTER_OTLP_*` variables. */
export interface OtlpHttpConfig {
  /** The signal's URL (`otlpTarget` builds it from the endpoint's origin and path, without credentials). */
  readonly url: string;
  /** Request headers; values may be secrets and never appear in an error or log line. */
  readonly headers: Readonly<Record<string, string>>;
  /** The bound on one export, retries included. */
  readonly timeoutMs: number;
  readonly gzip: boolean;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Headers, timeout and compression come from `OTEL_EXPORTER_OTLP_<SIGNAL>_*`, else
 * `OTEL_EXPORTER_OTLP_*`, as the OpenTelemetry exporters read them; a bad value is warned about (by
 * name, never its value) and the default kept.
 */
export function otlpHttpConfig(
  url: string,
  signal: OtlpSignal,
  warn: (message: string) => void,
): OtlpHttpConfig {
  return {
    url,
    headers: {
      ...envHeaders('OTEL_EXPORTER_OTLP_HEADERS', warn),
      ...envHeaders(`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_HEADERS`, warn),
    },
    timeoutMs: envTimeout(signal, warn),
    gzip: envSetting(signal, 'COMPRESSION')?.value === 'gzip',
  };
}

function envSetting(signal: OtlpSignal, setting: string): { name: string; value: string } | undefined {
  for (const name of [
    `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_${setting}`,
    `OTEL_EXPORTER_OTLP_${setting}`,
  ]) {
    const value = process.env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

function envTimeout(signal: OtlpSignal, warn: (message: string) => void): number {
  const setting = envSetting(signal, 'TIMEOUT');
  if (!setting) return DEFAULT_TIMEOUT_MS;
  const timeoutMs = Number(setting.value);
  if (Number.isFinite(timeoutMs) && timeoutMs > 0) return timeoutMs;
  warn(
    `${setting.name} is "${setting.value}", not a positive number of milliseconds; using ${DEFAULT_TIMEOUT_MS}.`,
  );
  return DEFAULT_TIMEOUT_MS;
}

/** `key1=value1,key2=value2`, values percent-encoded, as the OTLP exporter specification defines it. */
function envHeaders(name: string, warn: (message: string) => void): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of (process.env[name] ?? '').split(',')) {
    if (entry.trim() === '') continue;
    const equals = entry.indexOf('=');
    const key = entry.slice(0, equals).trim();
    try {
      if (equals <= 0 || key === '') throw new Error('no key');
      headers[key.toLowerCase()] = decodeURIComponent(entry.slice(equals + 1).trim());
    } catch {
      warn(`${name} has an entry that is not key=value (percent-encoded); it is left out.`);
    }
  }
  return headers;
}
