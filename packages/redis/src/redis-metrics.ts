import { type BoundHistogram, boundInstrumentsOf, recordingWith } from '@letta/core';
import {
  type Attributes,
  type Counter,
  createNoopMeter,
  type Meter,
  type MeterProvider,
  type ObservableCallback,
  type ObservableGauge,
} from '@opentelemetry/api';
import { version } from '../package.json';

/** The state of the command connection, reported one-hot by `redis_connection_state`. */
const CONNECTION_STATES = ['connecting', 'ready', 'reconnecting', 'closed'] as const;

export type ConnectionState = (typeof CONNECTION_STATES)[number];

/**
 * A change in where the data lives, counted by `redis_topology_events_total{event}`:
 * - `primary_changed`: the client reached a different primary than before (a Sentinel failover);
 * - `sentinel_unreachable`: a Sentinel did not answer, or did not know the master group;
 * - `slot_map_changed`: a cluster's slots moved to other nodes (a resharding or a cluster failover);
 * - `node_added`, `node_removed`: the client connected to a cluster node, or dropped one.
 */
const TOPOLOGY_EVENTS = [
  'primary_changed',
  'sentinel_unreachable',
  'slot_map_changed',
  'node_added',
  'node_removed',
] as const;

export type TopologyEvent = (typeof TOPOLOGY_EVENTS)[number];

// The semantic-conventions advice for db.client.operation.duration.
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

// Only the attributes the operation needs: the SDK hashes every attribute on every record, and each one
// costs about 0.3 µs per command (server.address and friends would add 10 % to a local GET).
const SYSTEM = { 'db.system.name': 'redis' } as const;

const DURATION = {
  name: 'db.client.operation.duration',
  description: 'Duration of Redis commands.',
  unit: 's',
} as const;

/**
 * `db.client.operation.duration` for one attribute set: a histogram bound to it when the meter provider
 * pre-aggregates (@letta/telemetry's does), else the SDK histogram recording with it.
 */
type BindDuration = (attributes: Attributes & Record<string, string>) => BoundHistogram;

/** The instruments of one operation, bound to their attribute sets once. */
export class OperationMetrics {
  readonly #bind: BindDuration;
  readonly #timeouts: Counter;
  readonly #attributes: Attributes & Record<string, string>;
  readonly #succeeded: BoundHistogram;
  readonly #timeoutAttributes: Attributes;
  readonly #failed = new Map<string, BoundHistogram>();

  constructor(bind: BindDuration, timeouts: Counter, command: string, method: string) {
    this.#bind = bind;
    this.#timeouts = timeouts;
    this.#attributes = { ...SYSTEM, 'db.operation.name': command };
    this.#succeeded = bind(this.#attributes);
    this.#timeoutAttributes = { operation: method };
  }

  /** Records one call that began at `start` (a `performance.now()` reading). */
  recordDuration(start: number, errorType?: string): void {
    const seconds = (performance.now() - start) / 1_000;
    (errorType === undefined ? this.#succeeded : this.#withError(errorType)).record(seconds);
  }

  recordTimeout(): void {
    this.#timeouts.add(1, this.#timeoutAttributes);
  }

  #withError(errorType: string): BoundHistogram {
    let histogram = this.#failed.get(errorType);
    if (!histogram) {
      histogram = this.#bind({ ...this.#attributes, 'error.type': errorType });
      this.#failed.set(errorType, histogram);
    }
    return histogram;
  }
}

/**
 * The client's instruments, created once per client: `db.client.operation.duration` (seconds),
 * Letta's `redis_timeout_total{operation}`, `redis_connection_state{state}` and
 * `redis_topology_events_total{event}`. No key or value is ever an attribute.
 */
export class RedisMetrics {
  readonly #bindDuration: BindDuration;
  readonly #timeouts: Counter;
  readonly #topologyEvents: Counter;
  readonly #eventAttributes: ReadonlyMap<TopologyEvent, Attributes>;
  readonly #state: ObservableGauge;
  readonly #observeState: ObservableCallback;
  #closed = false;

  /** The metrics of a client, or `null` when the provider records nothing, so no call is timed. */
  static create(provider: MeterProvider, readState: () => ConnectionState): RedisMetrics | null {
    const scope = { name: '@letta/redis', version };
    const meter = provider.getMeter(scope.name, scope.version);
    const bound = boundInstrumentsOf(provider);
    if (bound) {
      const options = { ...DURATION, boundaries: DURATION_BUCKETS };
      const bind: BindDuration = (attributes) => bound.histogram(scope, DURATION.name, options, attributes);
      return new RedisMetrics(meter, bind, readState);
    }
    // Created once, with its unit and description: a second definition under the same name makes the SDK
    // warn about a conflict. A no-op provider hands out the shared no-op histogram.
    const { name, ...options } = DURATION;
    const duration = meter.createHistogram(name, {
      ...options,
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    if (duration === createNoopMeter().createHistogram(name)) return null;
    return new RedisMetrics(meter, (attributes) => recordingWith(duration, attributes), readState);
  }

  private constructor(meter: Meter, bindDuration: BindDuration, readState: () => ConnectionState) {
    this.#bindDuration = bindDuration;
    this.#timeouts = meter.createCounter('redis_timeout_total', {
      description: 'Redis commands that got no reply within the command timeout, by client method.',
      unit: '1',
    });
    this.#topologyEvents = meter.createCounter('redis_topology_events_total', {
      description:
        'Changes in where Redis data lives: failovers, unreachable Sentinels, moved cluster slots.',
      unit: '1',
    });
    this.#eventAttributes = new Map(TOPOLOGY_EVENTS.map((event) => [event, { ...SYSTEM, event }]));
    this.#state = meter.createObservableGauge('redis_connection_state', {
      description: 'State of the Redis command connection: 1 for the current state, 0 for the others.',
      unit: '1',
    });
    const stateAttributes = CONNECTION_STATES.map((state) => ({ ...SYSTEM, state }));
    this.#observeState = (result) => {
      const current = this.#closed ? 'closed' : readState();
      for (const attributes of stateAttributes)
        result.observe(attributes.state === current ? 1 : 0, attributes);
      // Report `closed` once, then let go of the client (outside the collection that is running).
      if (this.#closed) setImmediate(() => this.#state.removeCallback(this.#observeState));
    };
    this.#state.addCallback(this.#observeState);
  }

  /** The instruments of one operation: `command` names it in `db.operation.name`, `method` in timeouts. */
  operation(command: string, method: string): OperationMetrics {
    return new OperationMetrics(this.#bindDuration, this.#timeouts, command, method);
  }

  recordTopologyEvent(event: TopologyEvent): void {
    this.#topologyEvents.add(1, this.#eventAttributes.get(event));
  }

  /** The client is closed: the next collection reports `closed` and is the last. */
  close(): void {
    this.#closed = true;
  }
}
