import { inspect } from 'node:util';

/** What every package prints in place of a secret value. */
export const REDACTED = '[redacted]';

/** Anything that holds a secret and gives it only through `reveal()`, such as `Secret`. */
export interface SecretLike {
  reveal(): string;
}

/**
 * A value that must never be printed: a password, an API key, a token or a URI that may carry one.
 * `reveal()` returns the value; `String()`, template literals, `JSON.stringify` and `util.inspect`
 * all show `[redacted]`.
 *
 * ```ts
 * const password = new Secret('hunter2');
 * `${password}`;           // '[redacted]'
 * password.reveal();       // 'hunter2'
 * ```
 */
export class Secret implements SecretLike {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret value itself. Pass it to the client that needs it; never log it. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/** Whether a value holds a secret (a `Secret`, or any object with a `reveal()` method). */
export function isSecretLike(value: unknown): value is SecretLike {
  return typeof value === 'object' && value !== null && typeof (value as SecretLike).reveal === 'function';
}

/** The plain string behind a string or a secret. */
export function reveal(value: string | SecretLike): string {
  return typeof value === 'string' ? value : value.reveal();
}

/** A string as a `Secret`; a secret as it is; nothing (null, undefined, `''`) as null. */
export function toSecret(value: string | SecretLike | null | undefined): SecretLike | null {
  if (value === undefined || value === null || value === '') return null;
  return typeof value === 'string' ? new Secret(value) : value;
}
