/** A telemetry or logging setting has a value this package cannot use; the message says how to fix it. */
export class TelemetryConfigError extends Error {
  override readonly name = 'TelemetryConfigError';

  constructor(
    /** The option, or the environment variable, that holds the bad value. */
    readonly setting: string,
    message: string,
  ) {
    super(message);
  }
}
