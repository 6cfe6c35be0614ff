import type { z } from 'zod';
import { fieldSpec, groupShape, type SchemaFieldSpec, type SettingField, snakeCase } from './setting-field';
import { createModel, definitionError, type SettingsModel } from './settings-model';

/** What `defineSettings` is given. */
export interface BuildModelOptions {
  /** Upper-case prefix of every env var, ending in `_` (e.g. `MYAPP_`); groups extend it (`MYAPP_DB_`). */
  readonly prefix: string;
  /** A `z.object`; nested `z.object`s are groups with their own prefix and config-file section. */
  readonly schema: z.ZodType;
  /** Dot paths of settings whose values are `Secret`s. */
  readonly secrets?: readonly string[];
  /** Dot path → env vars read instead of the prefixed name, first one present wins. */
  readonly aliases?: Readonly<Record<string, readonly string[] | undefined>>;
}

const PREFIX = /^[A-Z][A-Z0-9_]*_$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The fields of a schema, depth first; a nested `z.object` is a group that extends the prefix and key. */
function collectFields(options: BuildModelOptions, rootShape: Record<string, z.ZodType>): SchemaFieldSpec[] {
  const secrets = new Set(options.secrets ?? []);
  const aliases = options.aliases ?? {};
  const fields: SchemaFieldSpec[] = [];
  const visit = (
    shape: Record<string, z.ZodType>,
    segments: readonly string[],
    prefix: string,
    key: string,
  ) => {
    for (const [name, schema] of Object.entries(shape)) {
      const path = [...segments, name];
      const dotted = path.join('.');
      const snake = snakeCase(name);
      const inner = groupShape(schema);
      if (inner) {
        visit(inner, path, `${prefix}${snake.toUpperCase()}_`, `${key}.${snake}`);
        continue;
      }
      const names = aliases[dotted];
      for (const alias of names ?? []) {
        if (!ENV_NAME.test(alias))
          definitionError(`aliases.${dotted}: "${alias}" is not a valid environment variable name`);
      }
      fields.push(
        fieldSpec({
          path: dotted,
          segments: path,
          schema,
          canonicalName: `${prefix}${snake.toUpperCase()}`,
          configKey: `${key}.${snake}`,
          aliases: names?.map((alias) => alias.toUpperCase()),
          secret: secrets.has(dotted),
        }),
      );
    }
  };
  visit(rootShape, [], options.prefix, options.prefix.slice(0, -1).toLowerCase());
  return fields;
}

/** Throws for a secret or an alias that names no setting, and for a secret that is not a string. */
function checkNamedPaths(options: BuildModelOptions, fields: readonly SchemaFieldSpec[]): void {
  const byPath = new Map(fields.map((field) => [field.path, field]));
  for (const path of options.secrets ?? []) {
    const field = byPath.get(path);
    if (!field) definitionError(`secrets: "${path}" is not a setting`);
    const kind = field.kind === 'list' ? field.element?.kind : field.kind;
    if (kind !== 'string') definitionError(`secrets: "${path}" must be a string or a list of strings`);
  }
  for (const path of Object.keys(options.aliases ?? {})) {
    if (!byPath.has(path)) definitionError(`aliases: "${path}" is not a setting`);
  }
}

/** Indexes a schema; throws a `TypeError` for a definition that cannot work (a programming error). */
export function buildModel(options: BuildModelOptions): SettingsModel<SchemaFieldSpec> {
  if (!PREFIX.test(options.prefix)) {
    definitionError(
      `prefix must be upper-case letters, digits and "_", ending in "_" (e.g. "MYAPP_"), got "${options.prefix}"`,
    );
  }
  const shape = groupShape(options.schema);
  if (!shape) definitionError('schema must be a z.object(...)');
  const fields = collectFields(options, shape);
  checkNamedPaths(options, fields);
  const schema = options.schema;
  return createModel(options.prefix, fields, (input) => {
    // Interpreted: zod would otherwise compile a parser for the object (`new Function`) on the first
    // parse, which costs more than the parse itself for a schema that runs once or twice per process.
    const result = schema.safeParse(input, { jitless: true });
    return result.success
      ? { data: result.data as Record<string, unknown>, issues: [] }
      : { data: input, issues: result.error.issues };
  });
}

/** The public view of a model's fields, without the loader's internals. */
export function publicFields(model: SettingsModel<SchemaFieldSpec>): readonly SettingField[] {
  return Object.freeze(
    model.fields.map((field) =>
      Object.freeze({
        path: field.path,
        envVars: field.envVars,
        configKey: field.configKey,
        kind: field.kind,
        expected: field.expected,
        default: field.default,
        required: field.required,
        nullable: field.nullable,
        secret: field.secret,
        description: field.description,
        schema: field.schema,
      }),
    ),
  );
}
