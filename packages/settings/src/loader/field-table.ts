import type { FieldSpec, SchemaFieldSpec, ValueCheck, ValueKind, ValueSpec } from './setting-field';
import { createModel, type SettingsModel } from './settings-model';

type TableCheck =
  | { readonly kind: 'min' | 'max'; readonly value: number; readonly inclusive: boolean }
  | { readonly kind: 'pattern'; readonly source: string; readonly flags: string; readonly message: string };

interface TableValue {
  readonly kind: ValueKind;
  readonly expected: string;
  readonly checks: readonly TableCheck[];
}

interface TableField extends TableValue {
  readonly path: string;
  readonly envVars: readonly string[];
  readonly configKey: string;
  readonly fileNames: readonly string[];
  readonly default?: unknown;
  readonly required: boolean;
  readonly nullable: boolean;
  readonly secret: boolean;
  readonly element?: TableValue;
}

/**
 * A settings model as plain JSON: what loading Letta's settings and `validate` need, without loading zod,
 * whose import alone costs more than the rest of a load. Generated from the schema and committed.
 */
export interface FieldTable {
  readonly prefix: string;
  readonly fields: readonly TableField[];
}

function tableValue(spec: ValueSpec): TableValue {
  return {
    kind: spec.kind,
    expected: spec.expected,
    checks: spec.checks.map((check) =>
      check.kind === 'pattern'
        ? {
            kind: 'pattern',
            source: check.pattern.source,
            flags: check.pattern.flags,
            message: check.message,
          }
        : check,
    ),
  };
}

/** The table of a model; throws when a field has a constraint that the table cannot carry. */
export function toFieldTable(model: SettingsModel<SchemaFieldSpec>): FieldTable {
  const fields = model.fields.map((field): TableField => {
    if (!field.exhaustive) {
      throw new Error(
        `${field.path}: its schema has a constraint the CLI cannot check without zod (a refinement, a format, an enum or a catch); express it with bounds or a regex`,
      );
    }
    return {
      path: field.path,
      envVars: field.envVars,
      configKey: field.configKey,
      fileNames: field.fileNames,
      ...tableValue(field),
      default: field.default,
      required: field.required,
      nullable: field.nullable,
      secret: field.secret,
      ...(field.element && { element: tableValue(field.element) }),
    };
  });
  return { prefix: model.prefix, fields };
}

function valueSpec(value: TableValue): ValueSpec {
  const checks = value.checks.map(
    (check): ValueCheck =>
      check.kind === 'pattern'
        ? { kind: 'pattern', pattern: new RegExp(check.source, check.flags), message: check.message }
        : check,
  );
  return { kind: value.kind, expected: value.expected, checks };
}

/**
 * A model that loads with the table's checks alone: the same problems as the schema. Its output is a copy
 * of the checked values, as the schema's is (a load never hands out, or freezes, the table's defaults);
 * `finish` applies what the table cannot carry, the schema's transforms.
 */
export function modelFromTable(
  table: FieldTable,
  finish?: (values: Record<string, unknown>) => void,
): SettingsModel {
  const fields = table.fields.map(
    (field): FieldSpec => ({
      ...field,
      ...valueSpec(field),
      default: field.default,
      segments: field.path.split('.'),
      description: undefined,
      element: field.element && valueSpec(field.element),
    }),
  );
  return createModel(table.prefix, fields, (input) => {
    const data = structuredClone(input);
    finish?.(data);
    return { data, issues: [] };
  });
}
