/** Where a JSON text stops being JSON, and why (never quoting the text: it may hold a secret). */
export interface JsonSyntaxError {
  readonly offset: number;
  readonly message: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings may not hold raw control characters.
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;
const SPACE = /[ \t\n\r]*/y;

/**
 * Checks that a text is strict JSON (RFC 8259): no comments, trailing commas, single quotes or unquoted
 * keys, which a YAML parser would accept. Returns the first problem, or `undefined` for valid JSON.
 * `JSON.parse` is not used because its messages quote the text around the error.
 */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let at = text.startsWith('\uFEFF') ? 1 : 0;
  const skip = () => {
    SPACE.lastIndex = at;
    SPACE.exec(text);
    at = SPACE.lastIndex;
  };
  const match = (pattern: RegExp) => {
    pattern.lastIndex = at;
    const found = pattern.exec(text);
    if (found) at = pattern.lastIndex;
    return found !== null && found[0] !== '';
  };
  const unexpected = (expected: string): never => {
    const char = text[at];
    if (char === undefined) throw new Stop(at, `unexpected end of the file; expected ${expected}`);
    if (char === '/') throw new Stop(at, 'comments are not allowed in JSON');
    if (char === "'") throw new Stop(at, 'strings must use double quotes in JSON');
    throw new Stop(at, `expected ${expected}`);
  };
  const string = () => {
    at++;
    match(STRING_BODY);
    if (text[at] !== '"') {
      const reason =
        text[at] === undefined || text[at] === '\n'
          ? 'unterminated string'
          : 'invalid character or escape in a string';
      throw new Stop(at, reason);
    }
    at++;
  };
  const list = (close: string, item: () => void) => {
    at++;
    skip();
    if (text[at] === close) {
      at++;
      return;
    }
    for (;;) {
      item();
      skip();
      if (text[at] === close) {
        at++;
        return;
      }
      if (text[at] !== ',') unexpected(`"," or "${close}"`);
      const comma = at;
      at++;
      skip();
      if (text[at] === close) throw new Stop(comma, 'trailing commas are not allowed in JSON');
    }
  };
  const value = (): void => {
    skip();
    const char = text[at];
    if (char === '{') {
      list('}', () => {
        skip();
        if (text[at] !== '"') unexpected('a property name in double quotes');
        string();
        skip();
        if (text[at] !== ':') unexpected('":" after a property name');
        at++;
        value();
      });
    } else if (char === '[') {
      list(']', value);
    } else if (char === '"') {
      string();
    } else if (!match(NUMBER) && !match(LITERAL)) {
      unexpected('a value');
    }
  };
  try {
    value();
    skip();
    if (at < text.length) throw new Stop(at, 'unexpected text after the JSON value');
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return { offset: error.offset, message: `invalid JSON: ${error.reason}` };
    throw error;
  }
}
