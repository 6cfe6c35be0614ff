import { ConfigError, type ConfigIssue } from '@letta/core';

/**
 * One problem found while loading settings, located in the operator's terms: `path` is the setting's
 * property path (`''` for a whole file), `file` is relative to `cwd` when it lies inside it, and
 * `message` starts with the location, e.g. `LETTA_PG_POOL_SIZE: expected an integer >= 0, got "ten"`.
 */
export type SettingsIssue = ConfigIssue;

/**
 * Thrown by the settings loaders when any value is invalid (code `ERR_SETTINGS_INVALID`). It carries
 * every problem at once, and its message lists them all, one per line. No secret value ever appears in it.
 */
export class SettingsError extends ConfigError {
  override readonly name = 'SettingsError';
  readonly code = 'ERR_SETTINGS_INVALID';

  constructor(issues: readonly SettingsIssue[]) {
    super('Invalid settings', issues);
  }
}
