/**
 * The base of every error the @letta packages throw. `code` is stable across releases and listed, with
 * what to do, in each package's README; match on it rather than on the message.
 */
export abstract class LettaError extends Error {
  abstract readonly code: string;
  /** True when the same call may succeed if retried later, unchanged. */
  readonly retryable: boolean = false;
}
