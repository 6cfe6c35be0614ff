import type { ExportResult, ExportResultCode } from '@opentelemetry/core';
import type {
  AggregationTemporality,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { contentTypes, encodeOtlp, type OtlpEncoding, type OtlpMessage } from './otlp-encoding';
import type { OtlpHttpConfig } from './otlp-http-config';
import { sendOtlp, TelemetryExportError } from './otlp-http-send';
import { metricsRequest } from './otlp-metrics-request';
import type { MessageName } from './otlp-schema';
import { traceRequest } from './otlp-trace-request';

// The SDK's enum values (part of its public API), written out because only its types are imported here.
const SUCCESS = 0 as ExportResultCode.SUCCESS;
const FAILED = 1 as ExportResultCode.FAILED;

/**
 * Sends exports without dependencies beyond Node: encodes a batch, POSTs it, and reports the result to
 * the SDK. `forceFlush` and `shutdown` wait for the exports in flight; an export after shutdown fails
 * at once.
 */
abstract class OtlpHttpExporter<Batch> {
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly config: OtlpHttpConfig,
    private readonly encoding: OtlpEncoding,
  ) {}

  /** The batch as an OTLP export request, and that request's message type. */
  protected abstract request(batch: Batch): [OtlpMessage, MessageName];

  export(batch: Batch, resultCallback: (result: ExportResult) => void): void {
    if (this.stopped) {
      resultCallback({ code: FAILED, error: new TelemetryExportError('The OTLP exporter is shut down.') });
      return;
    }
    const sending = Promise.resolve()
      .then(() => {
        const body = encodeOtlp(...this.request(batch), this.encoding);
        return sendOtlp(this.config, body, contentTypes[this.encoding]);
      })
      .then(
        () => resultCallback({ code: SUCCESS }),
        (error: unknown) =>
          resultCallback({ code: FAILED, error: error instanceof Error ? error : new Error(String(error)) }),
      )
      .finally(() => this.pending.delete(sending));
    this.pending.add(sending);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.pending);
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    await this.forceFlush();
  }
}

/** Exports spans over OTLP/HTTP (protobuf or JSON) with Node's `fetch`. */
export class OtlpHttpSpanExporter extends OtlpHttpExporter<ReadableSpan[]> implements SpanExporter {
  protected request(spans: ReadableSpan[]): [OtlpMessage, MessageName] {
    return [traceRequest(spans), 'ExportTraceServiceRequest'];
  }
}

/** Exports metrics over OTLP/HTTP (protobuf or JSON) with Node's `fetch`, in the temporality it is given. */
export class OtlpHttpMetricExporter extends OtlpHttpExporter<ResourceMetrics> implements PushMetricExporter {
  constructor(
    config: OtlpHttpConfig,
    encoding: OtlpEncoding,
    private readonly temporality: (instrumentType: InstrumentType) => AggregationTemporality,
  ) {
    super(config, encoding);
  }

  protected request(metrics: ResourceMetrics): [OtlpMessage, MessageName] {
    return [metricsRequest(metrics), 'ExportMetricsServiceRequest'];
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return this.temporality(instrumentType);
  }
}
