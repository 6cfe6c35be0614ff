import { LettaError } from '@letta/core';

/**
 * A mistake in how the CLI was called (code `ERR_SETTINGS_CLI_USAGE`): printed with a pointer to help,
 * exit code 2.
 */
export class UsageError extends LettaError {
  override readonly name = 'UsageError';
  readonly code = 'ERR_SETTINGS_CLI_USAGE';
}
