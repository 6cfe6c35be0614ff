import type { FieldSpec } from './setting-field';

/** A problem the schema found in the assembled values, shaped like a zod issue. */
export interface SchemaIssue {
  readonly code: string;
  readonly origin?: string;
  readonly message: string;
  readonly path: readonly PropertyKey[];
}

/** A settings schema, indexed for loading. */
export interface SettingsModel<F extends FieldSpec = FieldSpec> {
  readonly prefix: string;
  /** The top-level config-file key, e.g. `letta` for the prefix `LETTA_`. */
  readonly section: string;
  readonly fields: readonly F[];
  readonly groups: ReadonlySet<string>;
  readonly byPath: ReadonlyMap<string, F>;
  readonly byEnvName: ReadonlyMap<string, F>;
  readonly byFileName: ReadonlyMap<string, F>;
  /**
   * Runs the schema over the values the loader assembled, returning its output. The loader has already
   * checked every field's type and `checks`, so a model without a schema returns its input unchanged.
   */
  readonly parse: (input: Record<string, unknown>) => {
    readonly data: Record<string, unknown>;
    readonly issues: readonly SchemaIssue[];
  };
}

/** Throws the `TypeError` of a settings definition that cannot work (a programming error). */
export function definitionError(message: string): never {
  throw new TypeError(`defineSettings: ${message}`);
}

function indexNames<F extends FieldSpec>(fields: readonly F[], names: (field: F) => readonly string[]) {
  const index = new Map<string, F>();
  for (const field of fields) {
    for (const name of names(field)) {
      const other = index.get(name);
      if (other) definitionError(`${name} is read by both "${other.path}" and "${field.path}"`);
      index.set(name, field);
    }
  }
  return index;
}

/** Indexes fields by path, env var and config-file name. */
export function createModel<F extends FieldSpec>(
  prefix: string,
  fields: readonly F[],
  parse: SettingsModel<F>['parse'],
): SettingsModel<F> {
  const groups = new Set<string>();
  for (const field of fields) {
    for (let length = 1; length < field.segments.length; length++)
      groups.add(field.segments.slice(0, length).join('.'));
  }
  return {
    prefix,
    section: prefix.slice(0, -1).toLowerCase(),
    fields,
    groups,
    byPath: new Map(fields.map((field) => [field.path, field])),
    byEnvName: indexNames(fields, (field) => field.envVars),
    byFileName: indexNames(fields, (field) => field.fileNames),
    parse,
  };
}
