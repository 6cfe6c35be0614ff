import { z } from 'zod';
import { acceptedValues, type JsonSchema } from '../loader/accepted-values';
import type { SchemaFieldSpec } from '../loader/setting-field';
import type { SettingsModel } from '../loader/settings-model';
import type { ConfigSection } from './config-sections';
import { sentence } from './value-text';

/** Names in a config file that belong to other settings: accepted, and not checked. */
export interface ForeignNames {
  readonly names: readonly string[];
  /** Name prefixes ending in `_`, e.g. `LETTA_SUMMARIZER_`. */
  readonly prefixes: readonly string[];
}

/** The JSON Schema zod gives a value, for the kinds the loader leaves to the schema (enums, JSON). */
function zodSchema(field: SchemaFieldSpec): JsonSchema {
  const { $schema: _, ...schema } = z.toJSONSchema(field.schema, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return schema;
}

/** The values the loader accepts for a setting in a config file, as JSON Schema branches. */
function acceptedBranches(field: SchemaFieldSpec): JsonSchema[] {
  if (field.kind === 'list') {
    const items = field.element && acceptedValues(field.element);
    // A list written as text (a comma list or a JSON array) is checked item by item by the loader only.
    return [
      { type: 'array', ...(items && { items: items.length === 1 ? items[0] : { anyOf: items } }) },
      { type: 'string' },
    ];
  }
  return acceptedValues(field) ?? [zodSchema(field)];
}

/**
 * The JSON Schema of one setting in a config file: what the loader accepts, null included (it leaves
 * the setting unset), with its default, env vars and secrecy in the description.
 */
function valueSchema(field: SchemaFieldSpec): JsonSchema {
  const unset = field.nullable ? [{ type: 'null' }, { const: 'None' }] : [{ type: 'null' }];
  const branches = [...acceptedBranches(field), ...unset];
  const notes = [`Env: ${field.envVars.join(', ')}.`, ...(field.secret ? ['Secret.'] : [])];
  return {
    anyOf: branches,
    // The loader reads the text None as null, which a setting that cannot be null refuses.
    ...(!field.nullable && { not: { const: 'None' } }),
    ...(field.default !== undefined && field.default !== null && { default: field.default }),
    description: [sentence(field.description ?? ''), ...notes].filter(Boolean).join(' '),
  };
}

/** What the definitions of one config-file schema are built from, and the definitions built so far. */
interface SchemaBuild {
  readonly model: SettingsModel<SchemaFieldSpec>;
  readonly sections: readonly ConfigSection[];
  readonly foreign: ForeignNames;
  readonly readsName: (name: string, field: SchemaFieldSpec) => boolean;
  readonly definitions: Record<string, JsonSchema>;
}

function sorted(record: Record<string, JsonSchema>): Record<string, JsonSchema> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** Adds a key's schema; a key that is both a name and a group (`project`, `project_id`) may be either. */
function addProperty(target: Record<string, JsonSchema>, key: string, schema: JsonSchema): void {
  const existing = target[key];
  if (existing === undefined || JSON.stringify(existing) === JSON.stringify(schema)) {
    target[key] = schema;
    return;
  }
  const branches = (existing.anyOf as JsonSchema[] | undefined) ?? [existing];
  if (!branches.some((branch) => JSON.stringify(branch) === JSON.stringify(schema)))
    target[key] = { anyOf: [...branches, schema] };
}

/** Whether `name` lies under `prefix`; an unprefixed section lists only names no prefixed section covers. */
function isUnder(sections: readonly ConfigSection[], prefix: string, name: string): boolean {
  if (prefix !== '') return name.startsWith(`${prefix}_`);
  return !sections.some((section) => section.prefix !== '' && name.startsWith(`${section.prefix}_`));
}

/** Adds the definition of a name prefix in a section (and those of the prefixes below it); returns its id. */
function prefixDefinition(build: SchemaBuild, prefix: string, section: ConfigSection): string {
  const { model, definitions } = build;
  const tail = prefix.slice(section.prefix.length).replace(/^_/, '').toLowerCase();
  const id = tail === '' ? section.key : `${section.key}_${tail}`;
  if (definitions[id]) return id;
  definitions[id] = {};
  const properties: Record<string, JsonSchema> = {};
  const patternProperties: Record<string, JsonSchema> = {};
  // A foreign name is not read: any value but a mapping, whose keys would extend the name.
  const leaves: [string, JsonSchema][] = [
    ...[...model.byFileName]
      .filter(([name, field]) => build.readsName(name, field))
      .map(([name, field]): [string, JsonSchema] => [name, { $ref: `#/definitions/${field.configKey}` }]),
    ...build.foreign.names.map((name): [string, JsonSchema] => [name, { not: { type: 'object' } }]),
  ];
  for (const [name, leaf] of leaves) {
    if (!isUnder(build.sections, prefix, name)) continue;
    const parts = name
      .slice(prefix === '' ? 0 : prefix.length + 1)
      .toLowerCase()
      .split('_');
    addProperty(properties, parts.join('_'), leaf);
    for (let length = 1; length < parts.length; length++) {
      const head = parts.slice(0, length).join('_');
      const headName = prefix === '' ? head.toUpperCase() : `${prefix}_${head.toUpperCase()}`;
      // A key that names a setting is that setting's value, even when it holds a mapping.
      if (model.byFileName.has(headName)) continue;
      const ref = { $ref: `#/definitions/${prefixDefinition(build, headName, section)}` };
      // Editors complete `properties` only: one-word groups (`pg:`) yes, every longer prefix no.
      if (length === 1) addProperty(properties, head, ref);
      else addProperty(patternProperties, `^${head}$`, ref);
    }
  }
  for (const foreign of build.foreign.prefixes) {
    if (prefix === '' || !foreign.startsWith(`${prefix}_`)) continue;
    const rest = foreign.slice(prefix.length + 1).toLowerCase();
    patternProperties[`^${rest}`] = {};
    if (rest.indexOf('_') === rest.length - 1) addProperty(properties, rest.slice(0, -1), { type: 'object' });
  }
  definitions[id] = {
    type: 'object',
    ...(prefix === section.prefix && { description: section.description }),
    properties: sorted(properties),
    ...(Object.keys(patternProperties).length > 0 && { patternProperties: sorted(patternProperties) }),
    additionalProperties: !section.closed,
  };
  return id;
}

/**
 * The JSON Schema (draft-07, input side) of a Letta config file. Letta joins nested keys with `_`, so
 * `letta: { pg: { pool_size } }` and `letta: { pg_pool_size }` are the same setting; the schema accepts
 * every such spelling: each name prefix (`LETTA_PG`, `LETTA_PG_POOL`) is a definition whose properties
 * are the settings below it and the prefixes one step further. A name for which `readsName` is false
 * (one the loader reads with a warning) is left out, as `validate --strict` refuses it.
 */
export function configJsonSchema(
  model: SettingsModel<SchemaFieldSpec>,
  sections: readonly ConfigSection[],
  foreign: ForeignNames = { names: [], prefixes: [] },
  readsName: (name: string, field: SchemaFieldSpec) => boolean = () => true,
): JsonSchema {
  const build: SchemaBuild = { model, sections, foreign, readsName, definitions: {} };
  for (const field of model.fields) build.definitions[field.configKey] = valueSchema(field);
  const properties: Record<string, JsonSchema> = {
    $schema: {
      type: 'string',
      description: 'The JSON Schema of this file (JSON files only; YAML files use a comment).',
    },
  };
  for (const section of sections)
    properties[section.key] = { $ref: `#/definitions/${prefixDefinition(build, section.prefix, section)}` };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Letta settings file',
    description:
      'A conf.yaml (or JSON) file of Letta settings, as read by the Letta server and @letta/settings. Generated by `letta-settings schema`.',
    type: 'object',
    properties,
    additionalProperties: false,
    definitions: sorted(build.definitions),
  };
}
