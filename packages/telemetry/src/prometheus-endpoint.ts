import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import { loadExporter } from './load-exporter';

/** Options for the Prometheus pull exporter. It serves no port of its own unless `port` is given. */
export interface PrometheusOptions {
  /** Start the exporter's own HTTP server on this port (path `/metrics`); leave unset to mount the handler. */
  port?: number;
  /** Host for the exporter's own server; defaults to `OTEL_EXPORTER_PROMETHEUS_HOST`, else all interfaces. */
  host?: string;
  /** Resource attributes matching this pattern become labels on every series. */
  withResourceConstantLabels?: RegExp;
  /** Leave out the `otel_scope_*` labels. */
  withoutScopeInfo?: boolean;
  /** Leave out the `target_info` series. */
  withoutTargetInfo?: boolean;
}

/** One scrape of the metrics page: the body and the content type to send with it. */
export interface MetricsScrape {
  contentType: string;
  body: string;
}

/** The `/metrics` page of a service, for any HTTP server. */
export interface PrometheusEndpoint {
  /**
   * A Node request handler for `/metrics`. It works with `node:http` and with the raw objects of other
   * servers (Fastify: `reply.hijack()` then `handler(request.raw, reply.raw)`).
   */
  readonly handler: (request: IncomingMessage, response: ServerResponse) => void;
  /** Collects the metrics now and returns the exposition text. */
  scrape(): Promise<MetricsScrape>;
}

const contentType = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Creates the pull exporter (a metric reader, also reporting what `preAggregated` produces) and the
 * endpoint that serves what it collects.
 */
export async function createPrometheusEndpoint(
  options: PrometheusOptions,
  preAggregated: MetricProducer,
): Promise<{ reader: PrometheusExporter; endpoint: PrometheusEndpoint }> {
  const { PrometheusExporter, PrometheusSerializer } = await loadExporter(
    '@opentelemetry/exporter-prometheus',
    'The Prometheus page (`prometheus` option)',
    () => import('@opentelemetry/exporter-prometheus'),
  );
  const reader = new PrometheusExporter({
    ...options,
    preventServerStart: options.port === undefined,
    metricProducers: [preAggregated],
  });
  const serializer = new PrometheusSerializer(
    undefined,
    false,
    options.withResourceConstantLabels,
    options.withoutTargetInfo,
    options.withoutScopeInfo,
  );

  const scrape = async (): Promise<MetricsScrape> => {
    const { resourceMetrics } = await reader.collect();
    return { contentType, body: serializer.serialize(resourceMetrics) };
  };

  const handler = (_request: IncomingMessage, response: ServerResponse) => {
    scrape().then(
      (result) => {
        response.statusCode = 200;
        response.setHeader('content-type', result.contentType);
        response.end(result.body);
      },
      (error: unknown) => {
        response.statusCode = 500;
        response.setHeader('content-type', 'text/plain; charset=utf-8');
        response.end(
          `# metrics collection failed: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      },
    );
  };

  return { reader, endpoint: { handler, scrape } };
}
