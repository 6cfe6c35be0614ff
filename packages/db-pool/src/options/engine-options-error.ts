import { ConfigError, type ConfigIssue } from '@letta/core';

/**
 * Options (or the settings they came from) that the pool, the engine or a scale-out helper cannot use.
 * Each issue's `path` is the option's name, e.g. `poolSize`, and its `envVar` the Letta variable that
 * feeds it through `engineOptionsFromSettings`, when there is one.
 */
export class EngineOptionsError extends ConfigError {
  override readonly name = 'EngineOptionsError';
  readonly code = 'ERR_DB_OPTIONS';

  constructor(issues: readonly ConfigIssue[]) {
    super('Invalid @letta/db-pool options', issues);
  }
}
