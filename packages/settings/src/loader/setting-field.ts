import type { z } from 'zod';

/** How a raw value (an env string or a config-file value) is turned into a typed one. */
export type ValueKind = 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'list' | 'json';

/**
 * Everything known about one setting, read from the schema: enough to load it, explain it, and generate
 * its documentation, `.env.example` entry and config-file JSON Schema.
 */
export interface SettingField {
  /** Property path in the loaded settings, e.g. `telemetry.datadogAgentPort`. */
  readonly path: string;
  /** Environment variables read for it, in order; the first one present wins. */
  readonly envVars: readonly string[];
  /** Key in a config file, e.g. `letta.telemetry.datadog_agent_port`. */
  readonly configKey: string;
  readonly kind: ValueKind;
  /** What a valid value looks like, e.g. `an integer from 1 to 65535`. */
  readonly expected: string;
  /** The default (as written in the schema); `undefined` when the setting is required. */
  readonly default: unknown;
  readonly required: boolean;
  readonly nullable: boolean;
  readonly secret: boolean;
  readonly description: string | undefined;
  /** The zod schema of the value. */
  readonly schema: z.ZodType;
}

/**
 * A constraint on a parsed value that the loader checks itself, before the schema sees the value, so
 * that a model without its zod schema (the CLI's light model) reports exactly the same problems.
 */
export type ValueCheck =
  | { readonly kind: 'min' | 'max'; readonly value: number; readonly inclusive: boolean }
  | { readonly kind: 'pattern'; readonly pattern: RegExp; readonly message: string };

/** The parts of a value's type that parsing needs. */
export interface ValueSpec {
  readonly kind: ValueKind;
  readonly expected: string;
  readonly checks: readonly ValueCheck[];
}

/** A field as the loader sees it: everything but the zod schema, so it can also be read from a table. */
export interface FieldSpec extends Omit<SettingField, 'schema'>, ValueSpec {
  readonly segments: readonly string[];
  /** Every upper-cased name that addresses this field in a config file. */
  readonly fileNames: readonly string[];
  readonly element: ValueSpec | undefined;
}

/** A field read from its zod schema. */
export interface SchemaFieldSpec extends FieldSpec {
  readonly schema: z.ZodType;
  /** True when `checks` hold every constraint of the schema (no refinements, formats or `catch`). */
  readonly exhaustive: boolean;
}

interface CheckDef {
  readonly check: string;
  readonly value?: number;
  readonly inclusive?: boolean;
  readonly format?: string;
  readonly pattern?: RegExp;
  readonly error?: (issue: object) => unknown;
}

interface SchemaDef {
  readonly type: string;
  readonly innerType?: SchemaLike;
  readonly in?: SchemaLike;
  readonly element?: SchemaLike;
  readonly shape?: Record<string, SchemaLike>;
  readonly entries?: Record<string, string | number>;
  readonly values?: readonly unknown[];
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
  readonly format?: string;
  readonly defaultValue?: unknown;
}

/** The structural subset of a zod 4 schema that introspection reads (works for `zod` and `zod/mini`). */
interface SchemaLike {
  readonly _zod: { readonly def: SchemaDef };
  readonly description?: string;
}

/**
 * zod's global registry, where `zod/mini` schemas keep their descriptions. zod keeps it on `globalThis`
 * (one registry for its ES module and CommonJS builds), so reading it there needs no import of zod.
 */
function zodRegistry(): { get(schema: SchemaLike): { description?: string } | undefined } | undefined {
  return (globalThis as { __zod_globalRegistry?: ReturnType<typeof zodRegistry> }).__zod_globalRegistry;
}

const INTEGER_FORMATS = new Set(['safeint', 'int32', 'uint32']);

/**
 * `pgPoolSize` → `pg_pool_size`; `useLettaV1Agent` → `use_letta_v1_agent`; a one-letter word and a
 * number at the end are words too: `keepLastNMessages` → `keep_last_n_messages`, `drainReturns503` →
 * `drain_returns_503`.
 */
export function snakeCase(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-zA-Z])(\d+)$/, '$1_$2')
    .toLowerCase();
}

/** The schema of a group (a nested `z.object`), or undefined for an ordinary field. */
export function groupShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = (schema as unknown as SchemaLike)._zod.def;
  return def.type === 'object' ? (def.shape as Record<string, z.ZodType>) : undefined;
}

interface Unwrapped {
  readonly base: SchemaLike;
  readonly default: unknown;
  readonly hasDefault: boolean;
  readonly nullable: boolean;
  readonly optional: boolean;
  readonly description: string | undefined;
  /** False when a wrapper changes what is accepted in a way `checks` cannot express (e.g. `catch`). */
  readonly plain: boolean;
}

const PLAIN_WRAPPERS = new Set(['default', 'prefault', 'nullable', 'optional', 'pipe', 'readonly']);

function unwrap(schema: SchemaLike): Unwrapped {
  let current = schema;
  let value: unknown;
  let hasDefault = false;
  let nullable = false;
  let optional = false;
  let plain = true;
  let description: string | undefined;
  for (;;) {
    description ??= current.description ?? zodRegistry()?.get(current)?.description;
    const def = current._zod.def;
    if ((def.type === 'default' || def.type === 'prefault') && !hasDefault) {
      hasDefault = true;
      value = def.defaultValue;
    }
    if (def.type === 'nullable') nullable = true;
    if (def.type === 'optional') optional = true;
    const next = def.type === 'pipe' ? def.in : def.innerType;
    if (next === undefined) break;
    if (!PLAIN_WRAPPERS.has(def.type)) plain = false;
    current = next;
  }
  return { base: current, default: value, hasDefault, nullable, optional, description, plain };
}

/** The message a check was given (`.regex(re, { message })`), if any. */
function customMessage(check: CheckDef): string | undefined {
  try {
    const message = check.error?.({});
    if (typeof message === 'string') return message;
    const object = message as { message?: unknown } | undefined;
    return typeof object?.message === 'string' ? object.message : undefined;
  } catch {
    return undefined;
  }
}

interface Checks {
  readonly checks: readonly ValueCheck[];
  /** False when the schema has a check that `checks` leave out (a refinement, a length, a format). */
  readonly complete: boolean;
}

function readChecks(def: SchemaDef): Checks {
  const checks: ValueCheck[] = [];
  let complete = true;
  for (const check of def.checks ?? []) {
    const { check: kind, value, inclusive = false, format, pattern } = check._zod.def;
    if ((kind === 'greater_than' || kind === 'less_than') && value !== undefined) {
      checks.push({ kind: kind === 'greater_than' ? 'min' : 'max', value, inclusive });
    } else if (kind === 'string_format' && format === 'regex' && pattern) {
      const message = customMessage(check._zod.def) ?? `expected a string matching ${pattern}`;
      checks.push({ kind: 'pattern', pattern, message });
    } else if (!(kind === 'number_format' && format === 'safeint')) {
      complete = false;
    }
  }
  return { checks, complete };
}

function bounds(checks: readonly ValueCheck[]): string {
  let min: string | undefined;
  let max: string | undefined;
  for (const check of checks) {
    if (check.kind === 'min') min = `${check.inclusive ? '>=' : '>'} ${check.value}`;
    if (check.kind === 'max') max = `${check.inclusive ? '<=' : '<'} ${check.value}`;
  }
  if (min?.startsWith('>=') && max?.startsWith('<=')) return ` from ${min.slice(3)} to ${max.slice(3)}`;
  return [min, max]
    .filter(Boolean)
    .map((bound) => ` ${bound}`)
    .join(' and');
}

function isInteger(def: SchemaDef): boolean {
  if (def.format !== undefined && INTEGER_FORMATS.has(def.format)) return true;
  return (def.checks ?? []).some((check) => INTEGER_FORMATS.has(check._zod.def.format ?? ''));
}

const PLURAL: Record<ValueKind, string> = {
  string: 'strings',
  integer: 'integers',
  number: 'numbers',
  boolean: 'booleans',
  enum: 'values',
  list: 'lists',
  json: 'JSON values',
};

type Described = ValueSpec & { readonly element: ValueSpec | undefined; readonly complete: boolean };

/** The kind, the human description and the checks of a value's type. */
function describeValue(base: SchemaLike): Described {
  const def = base._zod.def;
  const { checks, complete } = readChecks(def);
  const of = (kind: ValueKind, expected: string): Described => ({
    kind,
    expected,
    checks,
    element: undefined,
    complete,
  });
  switch (def.type) {
    case 'string':
      return of('string', 'a string');
    case 'number':
      return isInteger(def)
        ? of('integer', `an integer${bounds(checks)}`)
        : of('number', `a number${bounds(checks)}`);
    case 'boolean':
      return of('boolean', 'a boolean (true/false, 1/0, yes/no, on/off, t/f, y/n)');
    case 'enum':
    case 'literal': {
      const values = def.entries ? Object.values(def.entries) : (def.values ?? []);
      const spec = of('enum', `one of ${values.map((value) => JSON.stringify(value)).join(', ')}`);
      // The loader accepts any text for an enum and leaves membership to the schema.
      return { ...spec, complete: false };
    }
    case 'array': {
      const unwrapped = def.element ? unwrap(def.element) : undefined;
      const element = unwrapped && describeValue(unwrapped.base);
      const what = element ? ` of ${element.kind === 'enum' ? element.expected : PLURAL[element.kind]}` : '';
      return {
        ...of('list', `a JSON array or a comma-separated list${what}`),
        element: element && { kind: element.kind, expected: element.expected, checks: element.checks },
        complete: complete && element?.complete === true && unwrapped?.plain === true,
      };
    }
    default:
      return { ...of('json', 'a JSON value'), complete: false };
  }
}

export interface FieldInput {
  readonly path: string;
  readonly segments: readonly string[];
  readonly schema: z.ZodType;
  readonly canonicalName: string;
  readonly configKey: string;
  readonly aliases: readonly string[] | undefined;
  readonly secret: boolean;
}

/** Reads a field's metadata from its zod schema. */
export function fieldSpec(input: FieldInput): SchemaFieldSpec {
  const unwrapped = unwrap(input.schema as unknown as SchemaLike);
  const value = describeValue(unwrapped.base);
  const envVars = input.aliases ?? [input.canonicalName];
  return {
    path: input.path,
    segments: input.segments,
    envVars,
    configKey: input.configKey,
    fileNames: [...new Set([input.canonicalName, ...envVars])],
    kind: value.kind,
    expected: value.expected,
    checks: value.checks,
    element: value.element,
    default: unwrapped.hasDefault ? unwrapped.default : unwrapped.nullable ? null : undefined,
    required: !unwrapped.hasDefault && !unwrapped.nullable && !unwrapped.optional,
    nullable: unwrapped.nullable || unwrapped.optional,
    secret: input.secret,
    description: unwrapped.description,
    schema: input.schema,
    exhaustive: value.complete && unwrapped.plain,
  };
}
