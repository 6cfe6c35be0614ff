import type { ValueSpec } from './setting-field';

/** The result of turning a raw value into a typed one: the value, or the reason it was refused. */
export type Parsed =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problem: string };

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on', 't', 'y']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', 'f', 'n']);
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The literal text that means null in any text source, as in Letta's `_env_parse_none_str`. */
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
      const value = Number(raw.trim());
      return Number.isSafeInteger(value) ? value : undefined;
    }
    case 'number':
      if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
      return typeof raw === 'string' && DECIMAL.test(raw.trim()) ? Number(raw.trim()) : undefined;
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

function splitList(raw: string): unknown[] | undefined {
  const text = raw.trim();
  if (!text.startsWith('[')) {
    return text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Turns a raw value into the field's type. `raw` is a string from the environment or a `.env` file, or
 * a typed value from a config file or from overrides. `None` and `null` mean null.
 */
export function parseValue(raw: unknown, spec: ValueSpec, element: ValueSpec | undefined): Parsed {
  if (raw === null || raw === NONE) return { ok: true, value: null };
  if (spec.kind !== 'list') {
    const value = parseScalar(raw, spec);
    return value === undefined ? { ok: false, problem: `expected ${spec.expected}` } : { ok: true, value };
  }
  const items = typeof raw === 'string' ? splitList(raw) : Array.isArray(raw) ? raw : undefined;
  if (items === undefined) return { ok: false, problem: `expected ${spec.expected}` };
  if (element === undefined) return { ok: true, value: items };
  const values: unknown[] = [];
  for (const [index, item] of items.entries()) {
    const value = parseScalar(item, element);
    if (value === undefined) return { ok: false, problem: `item ${index + 1}: expected ${element.expected}` };
    values.push(value);
  }
  return { ok: true, value: values };
}
