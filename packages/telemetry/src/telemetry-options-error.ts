import { ConfigError, type ConfigIssue } from '@letta/core';

/** Where a checked value came from: the option's path, and the Letta variable when it came from settings. */
export interface ValueOrigin {
  readonly path: string;
  readonly envVar?: string;
}

/**
 * A telemetry or logger option (or the Letta setting behind it) has a value this package cannot use.
 * Each issue names the option (`path`) and, when it came from settings, the variable (`envVar`).
 */
export class TelemetryOptionsError extends ConfigError {
  override readonly name = 'TelemetryOptionsError';
  readonly code = 'ERR_TELEMETRY_OPTIONS';

  constructor(issues: readonly ConfigIssue[]) {
    super('Telemetry cannot start with these options', issues);
  }

  /** One bad value: `describe` builds the sentence from the name the operator knows it by. */
  static forValue(origin: ValueOrigin, describe: (name: string) => string): TelemetryOptionsError {
    return new TelemetryOptionsError([{ ...origin, message: describe(origin.envVar ?? origin.path) }]);
  }
}
