import {
  type BoundAttributes,
  type BoundCounter,
  type BoundHistogram,
  boundInstrumentsOf,
  recordingWith,
} from '@letta/core';
import { type MeterProvider, metrics } from '@opentelemetry/api';
import { conventionalMetric } from './conventional-names';
import { lettaMetrics, type MetricDefinition } from './metric-definitions';
import { METER_NAME, type MetricRegistryOptions } from './metric-registry';

/** Letta's per-request metrics: `count_endpoint_requests` and `hist_endpoint_e2e_ms`. */
export interface EndpointMetrics {
  /** Counts one answered request of `route` (the template, e.g. `/v1/agents/:id`) and records its time. */
  record(route: string, method: string, statusCode: number, elapsedMs: number): void;
  /**
   * The metrics of one route, for a hook bound to the route when it is added: a record then looks up
   * only its method and status.
   */
  forRoute(route: string): RouteMetrics;
}

/** The endpoint metrics of one route template. */
export interface RouteMetrics {
  /** Counts one answered request of this route and records its time. */
  record(method: string, statusCode: number, elapsedMs: number): void;
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
export function createEndpointMetrics(
  meterProvider?: MeterProvider,
  options: MetricRegistryOptions = {},
): EndpointMetrics {
  const provider = meterProvider ?? metrics.getMeterProvider();
  const counter = lettaMetrics.endpointRequestCounter;
  // Under its conventional name the histogram is in seconds: the same boundaries, values divided by 1000.
  const inSeconds = options.names === 'conventional';
  const { definition: histogram, advice } = inSeconds
    ? conventionalMetric(lettaMetrics.endpointE2eMsHistogram)
    : { definition: lettaMetrics.endpointE2eMsHistogram, advice: undefined };
  const boundaries = advice?.explicitBucketBoundaries ?? DEFAULT_BOUNDARIES;
  const bind = routeBinder(provider, counter, { ...histogram, boundaries });
  const routes = new Map<string, RouteMetrics>();
  const forRoute = (route: string): RouteMetrics => {
    let found = routes.get(route);
    if (!found) {
      found = routeMetrics(route, bind, inSeconds);
      routes.set(route, found);
    }
    return found;
  };
  return {
    record: (route, method, statusCode, elapsedMs) => forRoute(route).record(method, statusCode, elapsedMs),
    forRoute,
  };
}

/** One route's instruments, bound on first use per method and status. */
function routeMetrics(
  route: string,
  bind: (attributes: BoundAttributes) => RouteInstruments,
  inSeconds: boolean,
): RouteMetrics {
  const byMethod = new Map<string, Map<number, RouteInstruments>>();
  return {
    record(method, statusCode, elapsedMs) {
      let byStatus = byMethod.get(method);
      if (!byStatus) {
        byStatus = new Map();
        byMethod.set(method, byStatus);
      }
      let instruments = byStatus.get(statusCode);
      if (!instruments) {
        instruments = bind({ endpoint_path: route, method, status_code: statusCode });
        byStatus.set(statusCode, instruments);
      }
      instruments.requests.add(1);
      instruments.e2e.record(inSeconds ? elapsedMs / 1000 : elapsedMs);
    },
  };
}

function routeBinder(
  provider: MeterProvider,
  counter: MetricDefinition,
  histogram: MetricDefinition & { boundaries: number[] },
): (attributes: BoundAttributes) => RouteInstruments {
  const bound = boundInstrumentsOf(provider);
  if (bound) {
    const scope = { name: METER_NAME };
    return (attributes) => ({
      requests: bound.counter(scope, counter.name, counter, attributes),
      e2e: bound.histogram(scope, histogram.name, histogram, attributes),
    });
  }
  const meter = provider.getMeter(METER_NAME);
  const requests = meter.createCounter(counter.name, counter);
  const e2e = meter.createHistogram(histogram.name, {
    ...histogram,
    advice: { explicitBucketBoundaries: histogram.boundaries },
  });
  return (attributes) => ({
    requests: { add: (value) => requests.add(value, attributes) },
    e2e: recordingWith(e2e, attributes),
  });
}
