import type { ValueSpec } from './setting-field';

/** The result of turning a raw value into a typed one: the value, or the reason it was refused. */
export type Parsed =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly problem: string;
      /** The list item that was refused, when the value is a list. */
      readonly item?: { readonly index: number; readonly raw: unknown };
    };

export const TRUE_WORDS: ReadonlySet<string> = new Set(['1', 'true', 'yes', 'on', 't', 'y']);
export const FALSE_WORDS: ReadonlySet<string> = new Set(['0', 'false', 'no', 'off', 'f', 'n']);
// As pydantic reads text: `_` between digits, and an integer may be written with a zero fraction (`20.0`).
export const INTEGER = /^[+-]?\d+(?:_\d+)*(?:\.0*)?$/;
export const DECIMAL = /^[+-]?(?:\d+(?:_\d+)*\.?(?:\d+(?:_\d+)*)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+)?$/;

/** The literal text that means null in any text layer, as in Letta's `_env_parse_none_str`. */
const NONE = 'None';

function parseScalar(raw: unknown, spec: ValueSpec): unknown {
  switch (spec.kind) {
    case 'string':
    case 'enum':
      if (typeof raw === 'string') return raw;
      return typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
    case 'integer': {
      if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : undefined;
      if (typeof raw !== 'string' || !INTEGER.test(raw.trim())) return undefined;
      const value = Number(raw.trim().replace(/_/g, ''));
      return Number.isSafeInteger(value) ? value : undefined;
    }
    case 'number':
      if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
      return typeof raw === 'string' && DECIMAL.test(raw.trim())
        ? Number(raw.trim().replace(/_/g, ''))
        : undefined;
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      if (raw === 0 || raw === 1) return raw === 1;
      const word = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
      if (word !== undefined && TRUE_WORDS.has(word)) return true;
      return word !== undefined && FALSE_WORDS.has(word) ? false : undefined;
    }
    case 'list':
      return undefined;
    case 'json':
      if (typeof raw !== 'string') return raw;
      try {
        return JSON.parse(raw);
      } catch {
        return undefined;
      }
  }
}

/** The items of a comma list, trimmed, without empty ones. */
export function commaList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function splitList(raw: string): unknown[] | undefined {
  const text = raw.trim();
  if (!text.startsWith('[')) return commaList(text);
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The first of the spec's checks that a parsed value fails, as a problem; `undefined` when it passes. */
function failedCheck(value: unknown, spec: ValueSpec): string | undefined {
  for (const check of spec.checks) {
    if (check.kind === 'pattern') {
      if (typeof value === 'string' && !check.pattern.test(value)) return check.message;
      continue;
    }
    if (typeof value !== 'number') continue;
    const inRange =
      check.kind === 'min'
        ? value > check.value || (check.inclusive && value === check.value)
        : value < check.value || (check.inclusive && value === check.value);
    if (!inRange) return `expected ${spec.expected}`;
  }
  return undefined;
}

function parseChecked(raw: unknown, spec: ValueSpec): Parsed {
  const value = parseScalar(raw, spec);
  if (value === undefined) return { ok: false, problem: `expected ${spec.expected}` };
  const problem = failedCheck(value, spec);
  return problem === undefined ? { ok: true, value } : { ok: false, problem };
}

/** What `parseValue` needs to know about a field. */
export interface FieldValueSpec extends ValueSpec {
  readonly nullable: boolean;
  readonly element: ValueSpec | undefined;
}

/**
 * Turns a raw value into the field's type and checks it. `raw` is a string from the environment or a
 * `.env` file, or a typed value from a config file or from overrides. `None` and `null` mean null.
 */
export function parseValue(raw: unknown, field: FieldValueSpec): Parsed {
  if (raw === null || raw === NONE) {
    return field.nullable ? { ok: true, value: null } : { ok: false, problem: `expected ${field.expected}` };
  }
  if (field.kind !== 'list') return parseChecked(raw, field);
  const items = typeof raw === 'string' ? splitList(raw) : Array.isArray(raw) ? raw : undefined;
  if (items === undefined) return { ok: false, problem: `expected ${field.expected}` };
  const { element } = field;
  if (element === undefined) return { ok: true, value: items };
  const values: unknown[] = [];
  for (const [index, item] of items.entries()) {
    const parsed = parseChecked(item, element);
    if (!parsed.ok)
      return { ok: false, problem: `item ${index + 1}: ${parsed.problem}`, item: { index, raw: item } };
    values.push(parsed.value);
  }
  return { ok: true, value: values };
}
