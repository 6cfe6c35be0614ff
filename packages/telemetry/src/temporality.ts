import { TelemetryOptionsError, type ValueOrigin } from './telemetry-options-error';

/** Letta's `otel_preferred_temporality` numbering: 0 unspecified, 1 delta, 2 cumulative. */
export type LettaTemporality = 0 | 1 | 2;

/** Checks a temporality number once, naming where it came from when it is out of range. */
export function checkTemporality(value: number | null, origin: ValueOrigin): LettaTemporality | null {
  if (value === null || value === 0 || value === 1 || value === 2) return value;
  throw TelemetryOptionsError.forValue(
    origin,
    (name) =>
      `${name} must be 0 (unspecified), 1 (delta) or 2 (cumulative), but it is ${value}. ` +
      "Set it to one of those numbers; Letta's default is 1.",
  );
}
