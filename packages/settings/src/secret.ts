import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A setting that must never be printed: a password, an API key, a token or a URI that may carry one.
 * `reveal()` returns the value; `String()`, template literals, `JSON.stringify` and `util.inspect`
 * all show `[redacted]`.
 *
 * ```ts
 * const password = new Secret('hunter2');
 * `${password}`;           // '[redacted]'
 * password.reveal();       // 'hunter2'
 * ```
 */
export class Secret {
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
