import { DECIMAL, FALSE_WORDS, INTEGER, TRUE_WORDS } from './parse-value';
import type { ValueCheck, ValueSpec } from './setting-field';

/** A JSON Schema node. */
export type JsonSchema = Record<string, unknown>;

/** `true` → `[tT][rR][uU][eE]`: JSON Schema patterns take no flags. */
function caseless(word: string): string {
  return word.replace(/[a-z]/g, (letter) => `[${letter}${letter.toUpperCase()}]`);
}

/** A pattern for a text that `parseValue` trims, then tests against `inner`. */
function trimmed(inner: RegExp): string {
  return `^\\s*${inner.source.replace(/^\^/, '').replace(/\$$/, '')}\\s*$`;
}

function bounds(checks: readonly ValueCheck[]): JsonSchema {
  const schema: JsonSchema = {};
  for (const check of checks) {
    if (check.kind === 'min') schema[check.inclusive ? 'minimum' : 'exclusiveMinimum'] = check.value;
    if (check.kind === 'max') schema[check.inclusive ? 'maximum' : 'exclusiveMaximum'] = check.value;
  }
  return schema;
}

const BOOLEAN_TEXT = `^\\s*(?:${[...TRUE_WORDS, ...FALSE_WORDS].map(caseless).join('|')})\\s*$`;

/**
 * What `parseValue` accepts for a value of this kind in a config file, as JSON Schema branches: the
 * value's own JSON type, and the text forms Letta's settings accept too (`pool_size: "10"`). A number
 * written as text passes its range check in the loader only: JSON Schema cannot compare text as a number.
 * `undefined` for a kind the schema itself must describe (enums, JSON values).
 */
export function acceptedValues(spec: ValueSpec): JsonSchema[] | undefined {
  switch (spec.kind) {
    case 'string': {
      const patterns = spec.checks.flatMap((check) =>
        check.kind === 'pattern' ? [check.pattern.source] : [],
      );
      if (patterns.length > 0) return [{ type: 'string', allOf: patterns.map((pattern) => ({ pattern })) }];
      return [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }];
    }
    case 'integer':
      return [
        {
          type: 'integer',
          minimum: -Number.MAX_SAFE_INTEGER,
          maximum: Number.MAX_SAFE_INTEGER,
          ...bounds(spec.checks),
        },
        { type: 'string', pattern: trimmed(INTEGER) },
      ];
    case 'number':
      return [
        { type: 'number', ...bounds(spec.checks) },
        { type: 'string', pattern: trimmed(DECIMAL) },
      ];
    case 'boolean':
      return [{ type: 'boolean' }, { enum: [0, 1] }, { type: 'string', pattern: BOOLEAN_TEXT }];
    default:
      return undefined;
  }
}
