import { z } from 'zod';
import type { SchemaFieldSpec } from '../loader/setting-field';
import type { SettingsModel } from '../loader/settings-model';
import type { ConfigSection } from './config-sections';
import { sentence } from './value-text';

type JsonSchema = Record<string, unknown>;

const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/** The input-side JSON Schema of one setting, with its env vars and secrecy in the description. */
function valueSchema(field: SchemaFieldSpec): JsonSchema {
  const { $schema: _, ...schema } = z.toJSONSchema(field.schema, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  const strip = (node: JsonSchema) => {
    if (node.minimum === -SAFE_INTEGER) delete node.minimum;
    if (node.maximum === SAFE_INTEGER) delete node.maximum;
    for (const inner of (node.anyOf as JsonSchema[] | undefined) ?? []) strip(inner);
  };
  strip(schema);
  const notes = [`Env: ${field.envVars.join(', ')}.`, ...(field.secret ? ['Secret.'] : [])];
  return { ...schema, description: [sentence(field.description ?? ''), ...notes].filter(Boolean).join(' ') };
}

/** What the definitions of one config-file schema are built from, and the definitions built so far. */
interface SchemaBuild {
  readonly model: SettingsModel<SchemaFieldSpec>;
  readonly sections: readonly ConfigSection[];
  readonly definitions: Record<string, JsonSchema>;
}

function sorted(record: Record<string, JsonSchema>): Record<string, JsonSchema> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
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
  for (const [name, field] of model.byFileName) {
    if (!isUnder(build.sections, prefix, name)) continue;
    const parts = name
      .slice(prefix === '' ? 0 : prefix.length + 1)
      .toLowerCase()
      .split('_');
    properties[parts.join('_')] = { $ref: `#/definitions/${field.configKey}` };
    for (let length = 1; length < parts.length; length++) {
      const head = parts.slice(0, length).join('_');
      const headName = prefix === '' ? head.toUpperCase() : `${prefix}_${head.toUpperCase()}`;
      // A key that names a setting is that setting's value, even when it holds a mapping.
      if (model.byFileName.has(headName)) continue;
      const ref = { $ref: `#/definitions/${prefixDefinition(build, headName, section)}` };
      // Editors complete `properties` only: one-word groups (`pg:`) yes, every longer prefix no.
      if (length === 1) properties[head] = ref;
      else patternProperties[`^${head}$`] = ref;
    }
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
 * are the settings below it and the prefixes one step further.
 */
export function configJsonSchema(
  model: SettingsModel<SchemaFieldSpec>,
  sections: readonly ConfigSection[],
): JsonSchema {
  const build: SchemaBuild = { model, sections, definitions: {} };
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
