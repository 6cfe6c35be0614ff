import { z } from 'zod';

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

/** A field plus what the loader needs internally. */
export interface FieldSpec extends SettingField {
  readonly segments: readonly string[];
  /** Every upper-cased name that addresses this field in a config file. */
  readonly fileNames: readonly string[];
  readonly element: ValueSpec | undefined;
}

/** The parts of a value's type that parsing needs. */
export interface ValueSpec {
  readonly kind: ValueKind;
  readonly expected: string;
}

interface CheckDef {
  readonly check: string;
  readonly value?: number;
  readonly inclusive?: boolean;
  readonly format?: string;
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

const INTEGER_FORMATS = new Set(['safeint', 'int32', 'uint32']);

/** `pgPoolSize` → `pg_pool_size`; `useLettaV1Agent` → `use_letta_v1_agent`. */
export function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
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
}

function unwrap(schema: SchemaLike): Unwrapped {
  let current = schema;
  let value: unknown;
  let hasDefault = false;
  let nullable = false;
  let optional = false;
  let description: string | undefined;
  for (;;) {
    description ??= current.description ?? z.globalRegistry.get(current as unknown as z.ZodType)?.description;
    const def = current._zod.def;
    if ((def.type === 'default' || def.type === 'prefault') && !hasDefault) {
      hasDefault = true;
      value = def.defaultValue;
    }
    if (def.type === 'nullable') nullable = true;
    if (def.type === 'optional') optional = true;
    const next = def.type === 'pipe' ? def.in : def.innerType;
    if (next === undefined) break;
    current = next;
  }
  return { base: current, default: value, hasDefault, nullable, optional, description };
}

function bounds(def: SchemaDef): string {
  let min: string | undefined;
  let max: string | undefined;
  for (const check of def.checks ?? []) {
    const { check: kind, value, inclusive } = check._zod.def;
    if (kind === 'greater_than') min = `${inclusive ? '>=' : '>'} ${value}`;
    if (kind === 'less_than') max = `${inclusive ? '<=' : '<'} ${value}`;
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

/** The kind and the human description of a value's type. */
function describeValue(base: SchemaLike): ValueSpec & { element: ValueSpec | undefined } {
  const def = base._zod.def;
  switch (def.type) {
    case 'string':
      return { kind: 'string', expected: 'a string', element: undefined };
    case 'number':
      return isInteger(def)
        ? { kind: 'integer', expected: `an integer${bounds(def)}`, element: undefined }
        : { kind: 'number', expected: `a number${bounds(def)}`, element: undefined };
    case 'boolean':
      return {
        kind: 'boolean',
        expected: 'a boolean (true/false, 1/0, yes/no, on/off, t/f, y/n)',
        element: undefined,
      };
    case 'enum':
    case 'literal': {
      const values = def.entries ? Object.values(def.entries) : (def.values ?? []);
      return {
        kind: 'enum',
        expected: `one of ${values.map((value) => JSON.stringify(value)).join(', ')}`,
        element: undefined,
      };
    }
    case 'array': {
      const element = def.element ? describeValue(unwrap(def.element).base) : undefined;
      const of = element ? ` of ${element.kind === 'enum' ? element.expected : PLURAL[element.kind]}` : '';
      return {
        kind: 'list',
        expected: `a JSON array or a comma-separated list${of}`,
        element: element && { kind: element.kind, expected: element.expected },
      };
    }
    default:
      return { kind: 'json', expected: 'a JSON value', element: undefined };
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
export function fieldSpec(input: FieldInput): FieldSpec {
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
    element: value.element,
    default: unwrapped.hasDefault ? unwrapped.default : unwrapped.nullable ? null : undefined,
    required: !unwrapped.hasDefault && !unwrapped.nullable && !unwrapped.optional,
    nullable: unwrapped.nullable || unwrapped.optional,
    secret: input.secret,
    description: unwrapped.description,
    schema: input.schema,
  };
}
