import {
  type BoundAttributes,
  type BoundCounter,
  type BoundHistogram,
  boundInstrumentsOf,
  recordingWith,
} from '@letta/core';
import { type MeterProvider, metrics } from '@opentelemetry/api';
import { lettaMetrics, type MetricDefinition } from './metric-definitions';
import { METER_NAME } from './metric-registry';

/** Letta's per-request metrics: `count_endpoint_requests` and `hist_endpoint_e2e_ms`. */
export interface EndpointMetrics {
  /** Counts one answered request of `route` (the template, e.g. `/v1/agents/:id`) and records its time. */
  record(route: string, method: string, statusCode: number, elapsedMs: number): void;
}

// The SDK's default explicit buckets, which `hist_endpoint_e2e_ms` has always been exported with.
const DEFAULT_BOUNDARIES = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

interface RouteInstruments {
  readonly requests: BoundCounter;
  readonly e2e: BoundHistogram;
}

/**
 * Endpoint metrics with their instruments bound once per route, method and status, so a request costs
 * two additions to totals kept in process when the provider pre-aggregates (@letta/telemetry's does),
 * and two SDK records with a cached attribute set otherwise. Without a provider, the global one at the
 * time of the call.
 */
export function createEndpointMetrics(meterProvider?: MeterProvider): EndpointMetrics {
  const provider = meterProvider ?? metrics.getMeterProvider();
  const { endpointRequestCounter: counter, endpointE2eMsHistogram: histogram } = lettaMetrics;
  const bind = routeBinder(provider, counter, histogram);
  const byRoute = new Map<string, RouteInstruments>();
  return {
    record(route, method, statusCode, elapsedMs) {
      const key = `${statusCode} ${method} ${route}`;
      let instruments = byRoute.get(key);
      if (!instruments) {
        instruments = bind({ endpoint_path: route, method, status_code: statusCode });
        byRoute.set(key, instruments);
      }
      instruments.requests.add(1);
      instruments.e2e.record(elapsedMs);
    },
  };
}

function routeBinder(
  provider: MeterProvider,
  counter: MetricDefinition,
  histogram: MetricDefinition,
): (attributes: BoundAttributes) => RouteInstruments {
  const bound = boundInstrumentsOf(provider);
  if (bound) {
    const scope = { name: METER_NAME };
    const histogramOptions = { ...histogram, boundaries: DEFAULT_BOUNDARIES };
    return (attributes) => ({
      requests: bound.counter(scope, counter.name, counter, attributes),
      e2e: bound.histogram(scope, histogram.name, histogramOptions, attributes),
    });
  }
  const meter = provider.getMeter(METER_NAME);
  const requests = meter.createCounter(counter.name, counter);
  const e2e = meter.createHistogram(histogram.name, histogram);
  return (attributes) => ({
    requests: { add: (value) => requests.add(value, attributes) },
    e2e: recordingWith(e2e, attributes),
  });
}
