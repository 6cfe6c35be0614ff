import { Secret } from '@letta/core';
import { checkedOptions } from './checked-options';
import { closest } from './did-you-mean';
import type { LoadOptions } from './load-options';
import { parseValue } from './parse-value';
import { type Layers, type LoaderExtensions, readLayers } from './read-layers';
import type { FieldSpec } from './setting-field';
import type { SettingsIssue } from './settings-error';
import type { SchemaIssue, SettingsModel } from './settings-model';
import { type Candidate, issueAt, itemOrigin, readFromFile, type ValueOrigin } from './value-origin';

/** The outcome of one load before it is checked and frozen. */
export interface Resolution {
  /** Nested settings values (secrets already wrapped); invalid when `issues` is not empty. */
  readonly values: Record<string, unknown>;
  readonly origins: Map<string, ValueOrigin>;
  readonly layers: Layers;
  readonly issues: SettingsIssue[];
  readonly warnings: SettingsIssue[];
}

const GENERIC_CODES = new Set(['invalid_type', 'invalid_value']);
const RANGE_CODES = new Set(['too_small', 'too_big', 'not_multiple_of']);

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `raw` as JSON, or `undefined` when it has none (a function, a cycle, a BigInt). */
function asJson(raw: unknown): string | undefined {
  try {
    return JSON.stringify(raw);
  } catch {
    return undefined;
  }
}

/** The "what was found" part of a message about a value that is not a secret: `, got "ten"`. */
function found(raw: unknown): string {
  if (typeof raw === 'string') return `, got ${truncate(JSON.stringify(truncate(raw)))}`;
  const json = asJson(raw);
  return json === undefined ? `, got a ${typeof raw} that is not plain data` : `, got ${truncate(json)}`;
}

/**
 * The "what was found" part of a message about a value; never the value of a secret, nor one read from
 * the file a `NAME_FILE` variable names.
 */
export function foundFor(field: { readonly secret: boolean }, raw: unknown, origin: ValueOrigin): string {
  if (field.secret) return ' (the value is not shown: it is a secret)';
  if (readFromFile(origin)) return ' (the value is not shown: it was read from a file)';
  return found(raw);
}

export function getPath(root: Record<string, unknown>, segments: readonly string[]): unknown {
  let node: unknown = root;
  for (const segment of segments) node = (node as Record<string, unknown> | undefined)?.[segment];
  return node;
}

export function setPath(root: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let node = root;
  for (const segment of segments.slice(0, -1)) {
    node[segment] ??= {};
    node = node[segment] as Record<string, unknown>;
  }
  node[segments[segments.length - 1] ?? ''] = value;
}

/** A secret, or a list's secret items, as plain text (one level deep: settings hold lists of strings). */
function reveal(value: unknown): unknown {
  const plain = (item: unknown) => (item instanceof Secret ? item.reveal() : item);
  return Array.isArray(value) ? value.map(plain) : plain(value);
}

function readOverrides(
  model: SettingsModel,
  overrides: unknown,
  issues: SettingsIssue[],
): Map<string, Candidate> {
  const candidates = new Map<string, Candidate>();
  const walk = (node: unknown, prefix: string) => {
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (value === undefined) continue;
      if (model.groups.has(path) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        walk(value, path);
      } else if (model.byPath.has(path)) {
        candidates.set(path, { raw: reveal(value), origin: { source: 'override', key: path } });
      } else {
        const suggestion = closest(path, [...model.byPath.keys(), ...model.groups]);
        const hint = suggestion === undefined ? '' : `; did you mean ${suggestion}?`;
        issues.push({ path, message: `overrides.${path}: not a known setting${hint}` });
      }
    }
  };
  if (overrides !== undefined && overrides !== null) walk(overrides, '');
  return candidates;
}

function problemOf(issue: SchemaIssue, field: FieldSpec) {
  const index = issue.path[field.segments.length];
  const item = typeof index === 'number' ? `item ${index + 1}: ` : '';
  const expected = item === '' ? field.expected : field.element?.expected;
  const generic = GENERIC_CODES.has(issue.code) || (RANGE_CODES.has(issue.code) && issue.origin === 'number');
  return generic && expected !== undefined ? `${item}expected ${expected}` : `${item}${issue.message}`;
}

/** The values picked for a model's fields, before the schema sees them. */
interface Picked {
  readonly input: Record<string, unknown>;
  readonly origins: Map<string, ValueOrigin>;
  readonly raws: Map<string, unknown>;
  /** Paths already reported, so that the schema's issues about them are not reported twice. */
  readonly failed: Set<string>;
}

function defaultOrigin(field: FieldSpec): ValueOrigin {
  return { source: 'default', envVar: field.envVars[0] ?? field.path };
}

/** Picks each field's value from the highest layer that sets it, and parses and checks it. */
function pickValues(model: SettingsModel, layers: Layers, overrides: ReadonlyMap<string, Candidate>): Picked {
  const { issues } = layers;
  const picked: Picked = { input: {}, origins: new Map(), raws: new Map(), failed: new Set() };
  for (const field of model.fields) {
    const candidate =
      overrides.get(field.path) ?? layers.variable(field.envVars) ?? layers.fromFiles(field.path);
    let value = field.default;
    if (candidate === undefined) {
      picked.origins.set(field.path, defaultOrigin(field));
      if (field.required) {
        issues.push({
          path: field.path,
          message: `${field.envVars[0]}: required; set it to ${field.expected}`,
        });
        picked.failed.add(field.path);
      }
    } else {
      picked.origins.set(field.path, candidate.origin);
      picked.raws.set(field.path, candidate.raw);
      const parsed = parseValue(candidate.raw, field);
      if (parsed.ok) value = parsed.value;
      else {
        const raw = parsed.item ? parsed.item.raw : candidate.raw;
        const origin = itemOrigin(candidate, parsed.item?.index);
        issues.push(issueAt(field.path, origin, `${parsed.problem}${foundFor(field, raw, origin)}`));
        picked.failed.add(field.path);
      }
    }
    setPath(picked.input, field.segments, value);
  }
  return picked;
}

/** The field an issue of the schema is about: the longest prefix of its path that is a setting. */
function fieldOfIssue(model: SettingsModel, issue: SchemaIssue): FieldSpec | undefined {
  for (let length = issue.path.length; length > 0; length--) {
    const field = model.byPath.get(issue.path.slice(0, length).join('.'));
    if (field) return field;
  }
  return undefined;
}

/** Reports the schema's issues, located where each value came from, once per setting. */
function reportSchemaIssues(
  model: SettingsModel,
  schemaIssues: readonly SchemaIssue[],
  picked: Picked,
  issues: SettingsIssue[],
): void {
  for (const issue of schemaIssues) {
    const field = fieldOfIssue(model, issue);
    if (!field) {
      issues.push({ path: issue.path.join('.'), message: `${model.prefix}*: ${issue.message}` });
      continue;
    }
    if (picked.failed.has(field.path)) continue;
    picked.failed.add(field.path);
    const origin = picked.origins.get(field.path) ?? defaultOrigin(field);
    const raw = picked.raws.has(field.path) ? picked.raws.get(field.path) : field.default;
    issues.push(issueAt(field.path, origin, `${problemOf(issue, field)}${foundFor(field, raw, origin)}`));
  }
}

/** Wraps the values of secret settings (strings, or lists of strings) in `Secret`s. */
function wrapSecrets(model: SettingsModel, values: Record<string, unknown>): void {
  for (const field of model.fields) {
    if (!field.secret) continue;
    const value = getPath(values, field.segments);
    if (typeof value === 'string') setPath(values, field.segments, new Secret(value));
    if (Array.isArray(value))
      setPath(
        values,
        field.segments,
        value.map((item) => new Secret(String(item))),
      );
  }
}

/** Reads every layer, picks each setting's value by precedence, parses and validates it. */
export function resolveSettings(
  model: SettingsModel,
  options: LoadOptions<unknown>,
  extensions: LoaderExtensions,
): Resolution {
  const checked = checkedOptions(options);
  const layers = readLayers(model, checked.options, extensions);
  const { issues, warnings } = layers;
  issues.unshift(...checked.issues);
  const overrides = readOverrides(model, checked.options.overrides, issues);
  const picked = pickValues(model, layers, overrides);
  const result = model.parse(picked.input);
  reportSchemaIssues(model, result.issues, picked, issues);
  wrapSecrets(model, result.data);
  return { values: result.data, origins: picked.origins, layers, issues, warnings };
}
