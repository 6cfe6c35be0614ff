import type { ExportResult, ExportResultCode } from '@opentelemetry/core';
import type {
  AggregationTemporality,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { contentTypes, encodeOtlp, type OtlpEncoding } from './otlp-encoding';
import type { OtlpHttpConfig } from './otlp-http-config';
import { sendOtlp, TelemetryExportError } from './otlp-http-send';
import { metricsRequest } from './otlp-metrics-request';
import { traceRequest } from './otlp-trace-request';

// The SDK's enum values (part of its public API), written out because only its types are imported here.
const SUCCESS = 0 as ExportResultCode.SUCCESS;
const FAILED = 1 as ExportResultCode.FAILED;

/**
 * Sends exports without dependencies beyond Node: encodes, POSTs, and reports the result to the SDK.
 * `forceFlush` and `shutdown` wait for the exports in flight; an export after shutdown fails at once.
 */
class OtlpHttpSender {
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly config: OtlpHttpConfig,
    private readonly encoding: OtlpEncoding,
  ) {}

  send(encode: (encoding: OtlpEncoding) => Uint8Array, done: (result: ExportResult) => void): void {
    if (this.stopped) {
      done({ code: FAILED, error: new TelemetryExportError('The OTLP exporter is shut down.') });
      return;
    }
    const sending = Promise.resolve()
      .then(() => sendOtlp(this.config, encode(this.encoding), contentTypes[this.encoding]))
      .then(
        () => done({ code: SUCCESS }),
        (error: unknown) =>
          done({ code: FAILED, error: error instanceof Error ? error : new Error(String(error)) }),
      )
      .finally(() => this.pending.delete(sending));
    this.pending.add(sending);
  }

  async flush(): Promise<void> {
    await Promise.all(this.pending);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.flush();
  }
}

/** Exports spans over OTLP/HTTP (protobuf or JSON) with Node's `fetch`. */
export class OtlpHttpSpanExporter implements SpanExporter {
  private readonly sender: OtlpHttpSender;

  constructor(config: OtlpHttpConfig, encoding: OtlpEncoding) {
    this.sender = new OtlpHttpSender(config, encoding);
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.sender.send(
      (encoding) => encodeOtlp(traceRequest(spans), 'ExportTraceServiceRequest', encoding),
      resultCallback,
    );
  }

  forceFlush(): Promise<void> {
    return this.sender.flush();
  }

  shutdown(): Promise<void> {
    return this.sender.stop();
  }
}

/** Exports metrics over OTLP/HTTP (protobuf or JSON) with Node's `fetch`, in the temporality it is given. */
export class OtlpHttpMetricExporter implements PushMetricExporter {
  private readonly sender: OtlpHttpSender;

  constructor(
    config: OtlpHttpConfig,
    encoding: OtlpEncoding,
    private readonly temporality: (instrumentType: InstrumentType) => AggregationTemporality,
  ) {
    this.sender = new OtlpHttpSender(config, encoding);
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.sender.send(
      (encoding) => encodeOtlp(metricsRequest(metrics), 'ExportMetricsServiceRequest', encoding),
      resultCallback,
    );
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return this.temporality(instrumentType);
  }

  forceFlush(): Promise<void> {
    return this.sender.flush();
  }

  shutdown(): Promise<void> {
    return this.sender.stop();
  }
}
