import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { LettaError } from '@letta/core';
import type { OtlpHttpConfig } from './otlp-http-config';

const gzipAsync = promisify(gzip);

/** An OTLP/HTTP export that did not reach the collector. Names the URL and the reason, never a header. */
export class TelemetryExportError extends LettaError {
  override readonly name = 'TelemetryExportError';
  readonly code = 'ERR_TELEMETRY_EXPORT';
}

/** The statuses the OTLP specification calls retryable: throttled, or a collector briefly unavailable. */
const RETRYABLE = new Set([429, 502, 503, 504]);
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5000;

/**
 * POSTs one export body, retrying a retryable status with jittered exponential backoff (or the
 * collector's `Retry-After`) while the export timeout allows; the timeout bounds every attempt and
 * every wait together.
 */
export async function sendOtlp(config: OtlpHttpConfig, body: Uint8Array, contentType: string): Promise<void> {
  const deadline = Date.now() + config.timeoutMs;
  const headers: Record<string, string> = { ...config.headers, 'content-type': contentType };
  let payload = body;
  if (config.gzip) {
    payload = await gzipAsync(body);
    headers['content-encoding'] = 'gzip';
  }
  const fail = (reason: string, cause?: unknown) =>
    new TelemetryExportError(`OTLP export to ${config.url} failed: ${reason}.`, { cause });
  for (let backoff = FIRST_BACKOFF_MS; ; backoff = Math.min(backoff * 1.5, MAX_BACKOFF_MS)) {
    let response: Response;
    try {
      response = await fetch(config.url, {
        method: 'POST',
        headers,
        body: payload,
        signal: AbortSignal.timeout(Math.max(deadline - Date.now(), 1)),
      });
      // The body is an optional partial-success report; reading it frees the connection.
      await response.arrayBuffer();
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError')
        throw fail(`no answer within the export timeout of ${config.timeoutMs} ms`);
      throw fail(networkReason(error));
    }
    if (response.ok) return;
    const reason = `HTTP ${response.status} ${response.statusText}`.trim();
    if (!RETRYABLE.has(response.status)) throw fail(reason);
    const wait = retryAfterMs(response.headers.get('retry-after')) ?? backoff * (0.8 + Math.random() * 0.4);
    if (Date.now() + wait >= deadline)
      throw fail(`${reason}, and no time is left for a retry within ${config.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** fetch reports "fetch failed" and keeps the socket's error (ECONNREFUSED, ...) as its cause. */
function networkReason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = cause instanceof Error ? (cause as { code?: unknown }).code : undefined;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

/** `Retry-After` in seconds or as an HTTP date. */
function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(seconds * 1000, 0);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(date - Date.now(), 0);
}
