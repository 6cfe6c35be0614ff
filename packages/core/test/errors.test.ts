import { ConfigError, type ConfigIssue, LettaError } from '@letta/core';
import { describe, expect, it } from 'vitest';

class ExampleOptionsError extends ConfigError {
  override readonly name = 'ExampleOptionsError';
  readonly code = 'ERR_EXAMPLE_OPTIONS';

  constructor(issues: readonly ConfigIssue[]) {
    super('Invalid example options', issues);
  }
}

describe('ConfigError', () => {
  it('lists every issue, one per line, and freezes them', () => {
    const error = new ExampleOptionsError([
      {
        path: 'poolSize',
        envVar: 'LETTA_PG_POOL_SIZE',
        message: 'poolSize (LETTA_PG_POOL_SIZE) must be 0 or more, got -3.',
      },
      { path: 'uri', message: 'uri has no scheme.' },
    ]);
    expect(error).toBeInstanceOf(LettaError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ERR_EXAMPLE_OPTIONS');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'Invalid example options (2 problems):\n' +
        '  poolSize (LETTA_PG_POOL_SIZE) must be 0 or more, got -3.\n' +
        '  uri has no scheme.',
    );
    expect(Object.isFrozen(error.issues)).toBe(true);
    expect(Object.isFrozen(error.issues[0])).toBe(true);
  });
});
