/** One problem found while loading settings, located in the operator's terms. */
export interface SettingsIssue {
  /** The setting's property path, e.g. `telemetry.datadogAgentPort`; `''` for a problem with a whole file. */
  readonly path: string;
  /** The environment variable (or `.env` entry) that supplied the bad value. */
  readonly envVar?: string;
  /** The config or `.env` file, relative to `cwd` when it lies inside it. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** A full sentence that starts with the location, e.g. `LETTA_PG_POOL_SIZE: expected an integer, got "ten"`. */
  readonly message: string;
}

/**
 * Thrown by the settings loaders when any value is invalid. It carries every problem at once, and its
 * message lists them all, one per line. No secret value ever appears in it.
 */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  readonly issues: readonly SettingsIssue[];

  constructor(issues: readonly SettingsIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`Invalid settings (${count}):\n${issues.map((issue) => `  ${issue.message}`).join('\n')}`);
    this.issues = Object.freeze(issues.map((issue) => Object.freeze({ ...issue })));
  }
}
