import type { z } from 'zod';
import { type FieldSpec, fieldSpec, groupShape, type SettingField, snakeCase } from './setting-field';

/** What `defineSettings` is given. */
export interface SettingsConfig {
  /** Upper-case prefix of every env var, ending in `_` (e.g. `MYAPP_`); groups extend it (`MYAPP_DB_`). */
  readonly prefix: string;
  /** A `z.object`; nested `z.object`s are groups with their own prefix and config-file section. */
  readonly schema: z.ZodType;
  /** Dot paths of settings whose values are `Secret`s. */
  readonly secrets?: readonly string[];
  /** Dot path → env vars read instead of the prefixed name, first one present wins. */
  readonly aliases?: Readonly<Record<string, readonly string[] | undefined>>;
}

/** A settings schema, indexed for loading. */
export interface SettingsModel {
  readonly prefix: string;
  /** The top-level config-file key, e.g. `letta` for the prefix `LETTA_`. */
  readonly section: string;
  readonly schema: z.ZodType;
  readonly fields: readonly FieldSpec[];
  readonly groups: ReadonlySet<string>;
  readonly byPath: ReadonlyMap<string, FieldSpec>;
  readonly byEnvName: ReadonlyMap<string, FieldSpec>;
  readonly byFileName: ReadonlyMap<string, FieldSpec>;
}

const PREFIX = /^[A-Z][A-Z0-9_]*_$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fail(message: string): never {
  throw new TypeError(`defineSettings: ${message}`);
}

/** Indexes a schema; throws a `TypeError` for a definition that cannot work (a programming error). */
export function buildModel(config: SettingsConfig): SettingsModel {
  if (!PREFIX.test(config.prefix)) {
    fail(
      `prefix must be upper-case letters, digits and "_", ending in "_" (e.g. "MYAPP_"), got "${config.prefix}"`,
    );
  }
  const rootShape = groupShape(config.schema);
  if (!rootShape) fail('schema must be a z.object(...)');
  const secrets = new Set(config.secrets ?? []);
  const aliases = config.aliases ?? {};
  const section = config.prefix.slice(0, -1).toLowerCase();
  const fields: FieldSpec[] = [];
  const groups = new Set<string>();

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
        groups.add(dotted);
        visit(inner, path, `${prefix}${snake.toUpperCase()}_`, `${key}.${snake}`);
        continue;
      }
      const names = aliases[dotted];
      for (const alias of names ?? []) {
        if (!ENV_NAME.test(alias))
          fail(`aliases.${dotted}: "${alias}" is not a valid environment variable name`);
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
  visit(rootShape, [], config.prefix, section);

  const byPath = new Map(fields.map((field) => [field.path, field]));
  for (const path of secrets) {
    const field = byPath.get(path);
    if (!field) fail(`secrets: "${path}" is not a setting`);
    const kind = field.kind === 'list' ? field.element?.kind : field.kind;
    if (kind !== 'string') fail(`secrets: "${path}" must be a string or a list of strings`);
  }
  for (const path of Object.keys(aliases)) {
    if (!byPath.has(path)) fail(`aliases: "${path}" is not a setting`);
  }
  return {
    prefix: config.prefix,
    section,
    schema: config.schema,
    fields,
    groups,
    byPath,
    byEnvName: indexNames(fields, (field) => field.envVars),
    byFileName: indexNames(fields, (field) => field.fileNames),
  };
}

function indexNames(fields: readonly FieldSpec[], names: (field: FieldSpec) => readonly string[]) {
  const index = new Map<string, FieldSpec>();
  for (const field of fields) {
    for (const name of names(field)) {
      const other = index.get(name);
      if (other) fail(`${name} is read by both "${other.path}" and "${field.path}"`);
      index.set(name, field);
    }
  }
  return index;
}

/** The public view of a model's fields, without the loader's internals. */
export function publicFields(model: SettingsModel): readonly SettingField[] {
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
