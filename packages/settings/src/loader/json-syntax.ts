import { overLimit } from './file-limits';

/** Where a JSON text stops being JSON, and why (never quoting the text: it may hold a secret). */
export interface JsonSyntaxError {
  readonly offset: number;
  readonly message: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
    /** True when `reason` is a whole message, not a way in which the text is not JSON. */
    readonly whole = false,
  ) {
    super(reason);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings may not hold raw control characters.
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;
const SPACE = /[ \t\n\r]*/y;

/** A reader that walks a JSON text and throws `Stop` where it stops being JSON. */
class StrictJsonReader {
  #at: number;
  #depth = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    this.#at = text.startsWith('\uFEFF') ? 1 : 0;
  }

  /** Reads the whole text as one JSON value. */
  readDocument(): void {
    this.#value();
    this.#skip();
    if (this.#at < this.text.length) throw new Stop(this.#at, 'unexpected text after the JSON value');
  }

  #peek(): string | undefined {
    return this.text[this.#at];
  }

  #skip(): void {
    SPACE.lastIndex = this.#at;
    SPACE.exec(this.text);
    this.#at = SPACE.lastIndex;
  }

  #match(pattern: RegExp): boolean {
    pattern.lastIndex = this.#at;
    const found = pattern.exec(this.text);
    if (found) this.#at = pattern.lastIndex;
    return found !== null && found[0] !== '';
  }

  #unexpected(expected: string): never {
    const char = this.#peek();
    if (char === undefined) throw new Stop(this.#at, `unexpected end of the file; expected ${expected}`);
    if (char === '/') throw new Stop(this.#at, 'comments are not allowed in JSON');
    if (char === "'") throw new Stop(this.#at, 'strings must use double quotes in JSON');
    throw new Stop(this.#at, `expected ${expected}`);
  }

  #string(): void {
    this.#at++;
    this.#match(STRING_BODY);
    const char = this.#peek();
    if (char !== '"') {
      const ended = char === undefined || char === '\n';
      throw new Stop(this.#at, ended ? 'unterminated string' : 'invalid character or escape in a string');
    }
    this.#at++;
  }

  /** An array or object body after its opening bracket: items separated by commas, then `close`. */
  #list(close: string, item: () => void): void {
    this.#depth++;
    if (this.#depth > this.maxDepth) {
      const what = `nests deeper than ${this.maxDepth} levels`;
      throw new Stop(this.#at, overLimit('maxDepth', what), true);
    }
    this.#at++;
    this.#skip();
    if (this.#peek() === close) {
      this.#at++;
      this.#depth--;
      return;
    }
    for (;;) {
      item();
      this.#skip();
      if (this.#peek() === close) {
        this.#at++;
        this.#depth--;
        return;
      }
      if (this.#peek() !== ',') this.#unexpected(`"," or "${close}"`);
      const comma = this.#at;
      this.#at++;
      this.#skip();
      if (this.#peek() === close) throw new Stop(comma, 'trailing commas are not allowed in JSON');
    }
  }

  #member(): void {
    this.#skip();
    if (this.#peek() !== '"') this.#unexpected('a property name in double quotes');
    this.#string();
    this.#skip();
    if (this.#peek() !== ':') this.#unexpected('":" after a property name');
    this.#at++;
    this.#value();
  }

  #value(): void {
    this.#skip();
    const char = this.#peek();
    if (char === '{') this.#list('}', () => this.#member());
    else if (char === '[') this.#list(']', () => this.#value());
    else if (char === '"') this.#string();
    else if (!this.#match(NUMBER) && !this.#match(LITERAL)) this.#unexpected('a value');
  }
}

/**
 * Checks that a text is strict JSON (RFC 8259): no comments, trailing commas, single quotes or unquoted
 * keys, which a YAML parser would accept, nested at most `maxDepth` levels. Returns the first problem,
 * or `undefined` for valid JSON.
 * `JSON.parse` is not used because its messages quote the text around the error.
 */
export function jsonSyntaxError(text: string, maxDepth: number): JsonSyntaxError | undefined {
  try {
    new StrictJsonReader(text, maxDepth).readDocument();
    return undefined;
  } catch (error) {
    if (error instanceof Stop)
      return { offset: error.offset, message: error.whole ? error.reason : `invalid JSON: ${error.reason}` };
    throw error;
  }
}
