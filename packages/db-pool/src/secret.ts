import { inspect } from 'node:util';

/** A value that prints as `[redacted]` and gives its content only through `reveal()`. */
export interface SecretLike {
  reveal(): string;
}

const REDACTED = '[redacted]';

class RedactedString implements SecretLike {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/** Wraps a string so that logging, `String()` and `JSON.stringify` never show it. */
export function redacted(value: string): SecretLike {
  return new RedactedString(value);
}

/** The plain string behind a string or a secret. */
export function reveal(value: string | SecretLike): string {
  return typeof value === 'string' ? value : value.reveal();
}
