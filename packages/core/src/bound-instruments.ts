/** The attributes of a bound instrument: fixed when it is bound, never per call. */
export type BoundAttributes = Readonly<Record<string, string | number | boolean>>;

/** The instrumentation scope (meter) an instrument belongs to, e.g. `@letta/redis` and its version. */
export interface InstrumentScope {
  readonly name: string;
  readonly version?: string;
}

export interface BoundCounterOptions {
  readonly description: string;
  readonly unit: string;
}

export interface BoundHistogramOptions extends BoundCounterOptions {
  /** Explicit bucket boundaries, ascending. */
  readonly boundaries: readonly number[];
}

/** A histogram bound to one attribute set: `record` only adds to totals kept in process. */
export interface BoundHistogram {
  record(value: number): void;
}

/** A monotonic counter bound to one attribute set. */
export interface BoundCounter {
  add(value: number): void;
}

/**
 * Instruments bound once to a fixed attribute set and accumulated in process, handed to the metrics SDK
 * at collection. A meter provider that offers them carries this factory under `BOUND_INSTRUMENTS`
 * (@letta/telemetry's does); packages fall back to `@opentelemetry/api` instruments when it does not.
 * Binding the same scope, name and attributes twice returns totals that are shared.
 */
export interface BoundInstrumentFactory {
  histogram(
    scope: InstrumentScope,
    name: string,
    options: BoundHistogramOptions,
    attributes: BoundAttributes,
  ): BoundHistogram;
  counter(
    scope: InstrumentScope,
    name: string,
    options: BoundCounterOptions,
    attributes: BoundAttributes,
  ): BoundCounter;
}

/** The key under which a meter provider carries its `BoundInstrumentFactory`. */
export const BOUND_INSTRUMENTS: unique symbol = Symbol.for('letta.boundInstruments');

/** The bound-instrument factory `provider` carries, or `null` when it records through the API only. */
export function boundInstrumentsOf(provider: object | undefined): BoundInstrumentFactory | null {
  const factory = (provider as { [BOUND_INSTRUMENTS]?: BoundInstrumentFactory } | undefined)?.[
    BOUND_INSTRUMENTS
  ];
  return factory ?? null;
}

/** An `@opentelemetry/api` histogram that records with `attributes`: the SDK still hashes them per record. */
export function recordingWith(
  histogram: { record(value: number, attributes?: BoundAttributes): void },
  attributes: BoundAttributes,
): BoundHistogram {
  return { record: (value) => histogram.record(value, attributes) };
}
