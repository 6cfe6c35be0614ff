import { Secret } from '@letta/core';
import { closest } from './did-you-mean';
import type { LoadOptions } from './load-options';
import { parseValue } from './parse-value';
import { type LoaderExtensions, readSources, type Sources } from './read-layers';
import type { FieldSpec } from './setting-field';
import type { SettingsIssue } from './settings-error';
import type { SchemaIssue, SettingsModel } from './settings-model';
import { type Candidate, issueAt, itemOrigin, type ValueOrigin } from './value-origin';

/** The outcome of one load before it is checked and frozen. */
export interface Resolution {
  /** Nested settings values (secrets already wrapped); invalid when `issues` is not empty. */
  readonly values: Record<string, unknown>;
  readonly origins: Map<string, ValueOrigin>;
  readonly sources: Sources;
  readonly issues: SettingsIssue[];
  readonly warnings: SettingsIssue[];
}

const GENERIC_CODES = new Set(['invalid_type', 'invalid_value']);
const RANGE_CODES = new Set(['too_small', 'too_big', 'not_multiple_of']);

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The "what was found" part of a message; never the value of a secret. */
export function found(raw: unknown, secret: boolean): string {
  if (secret) return ' (the value is not shown: it is a secret)';
  const text = typeof raw === 'string' ? JSON.stringify(truncate(raw)) : (JSON.stringify(raw) ?? String(raw));
  return `, got ${truncate(text)}`;
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

function reveal(value: unknown): unknown {
  if (value instanceof Secret) return value.reveal();
  return Array.isArray(value) ? value.map(reveal) : value;
}

function readOverrides(
  model: SettingsModel,
  overrides: unknown,
  issues: SettingsIssue[],
): Map<string, Candidate> {
  const found = new Map<string, Candidate>();
  const walk = (node: unknown, prefix: string) => {
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (value === undefined) continue;
      if (model.groups.has(path) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        walk(value, path);
      } else if (model.byPath.has(path)) {
        found.set(path, { raw: reveal(value), origin: { source: 'override', key: path } });
      } else {
        const suggestion = closest(path, [...model.byPath.keys(), ...model.groups]);
        const hint = suggestion === undefined ? '' : `; did you mean ${suggestion}?`;
        issues.push({ path, message: `overrides.${path}: not a known setting${hint}` });
      }
    }
  };
  if (overrides !== undefined && overrides !== null) walk(overrides, '');
  return found;
}

function problemOf(issue: SchemaIssue, field: FieldSpec) {
  const index = issue.path[field.segments.length];
  const item = typeof index === 'number' ? `item ${index + 1}: ` : '';
  const expected = item === '' ? field.expected : field.element?.expected;
  const generic = GENERIC_CODES.has(issue.code) || (RANGE_CODES.has(issue.code) && issue.origin === 'number');
  return generic && expected !== undefined ? `${item}expected ${expected}` : `${item}${issue.message}`;
}

/** Reads every source, picks each setting's value by precedence, parses and validates it. */
export function resolveSettings(
  model: SettingsModel,
  options: LoadOptions<unknown>,
  extensions: LoaderExtensions,
): Resolution {
  const sources = readSources(model, options, extensions);
  const { issues, warnings } = sources;
  const overrides = readOverrides(model, options.overrides, issues);
  const origins = new Map<string, ValueOrigin>();
  const raws = new Map<string, unknown>();
  const failed = new Set<string>();
  const input: Record<string, unknown> = {};

  for (const field of model.fields) {
    const candidate =
      overrides.get(field.path) ?? sources.variable(field.envVars) ?? sources.fromFiles(field.path);
    let value = field.default;
    if (candidate === undefined) {
      origins.set(field.path, { source: 'default', envVar: field.envVars[0] ?? field.path });
      if (field.required) {
        issues.push({
          path: field.path,
          message: `${field.envVars[0]}: required; set it to ${field.expected}`,
        });
        failed.add(field.path);
      }
    } else {
      origins.set(field.path, candidate.origin);
      raws.set(field.path, candidate.raw);
      const parsed = parseValue(candidate.raw, field);
      if (parsed.ok) value = parsed.value;
      else {
        const raw = parsed.item ? parsed.item.raw : candidate.raw;
        const origin = itemOrigin(candidate, parsed.item?.index);
        issues.push(issueAt(field.path, origin, `${parsed.problem}${found(raw, field.secret)}`));
        failed.add(field.path);
      }
    }
    setPath(input, field.segments, value);
  }

  const result = model.parse(input);
  const values = result.data;
  for (const issue of result.issues) {
    let field: FieldSpec | undefined;
    for (let length = issue.path.length; length > 0 && !field; length--) {
      field = model.byPath.get(issue.path.slice(0, length).join('.'));
    }
    if (!field) {
      issues.push({ path: issue.path.join('.'), message: `${model.prefix}*: ${issue.message}` });
      continue;
    }
    if (failed.has(field.path)) continue;
    failed.add(field.path);
    const origin = origins.get(field.path) ?? { source: 'default', envVar: field.envVars[0] ?? field.path };
    const raw = raws.has(field.path) ? raws.get(field.path) : field.default;
    issues.push(issueAt(field.path, origin, `${problemOf(issue, field)}${found(raw, field.secret)}`));
  }

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
  return { values, origins, sources, issues, warnings };
}
