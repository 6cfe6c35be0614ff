import { Secret } from '@letta/core';
import { Document, isCollection, isScalar } from 'yaml';
import { lettaSettingsModel, loadSettings } from '../letta/letta-settings';
import { explain, type SettingExplanation } from '../loader/explain';
import { getPath, setPath } from '../loader/resolve-settings';
import { SettingsError, type SettingsIssue } from '../loader/settings-error';
import type { CommandArgs } from './command-args';
import { configKeys } from './config-sections';
import { formatReport, textLine, toDiagnostic } from './diagnostics';
import { styleFor } from './style';
import { dotenvValue, envText } from './value-text';

/** A value as printed: secrets redacted, everything else as loaded. */
function printable(value: unknown): unknown {
  if (value instanceof Secret) return String(value);
  return Array.isArray(value) ? value.map(printable) : value;
}

/** The place a value came from: `conf.yaml:3:5`, `.env:2 LETTA_DEBUG`, `LETTA_DEBUG`, or none. */
function placeOf(entry: SettingExplanation): string | undefined {
  switch (entry.source) {
    case 'file':
      return `${entry.file}:${entry.line}:${entry.column}`;
    case 'dotenv':
      return `${entry.file}:${entry.line} ${entry.envVar}`;
    case 'env':
      return entry.envVar;
    case 'override':
      return entry.key;
    default:
      return undefined;
  }
}

/** Where a value came from, in one line: `env LETTA_DEBUG`, `conf.yaml:3:5`, `.env:2 LETTA_DEBUG`, `default`. */
function sourceOf(entry: SettingExplanation): string {
  const place = placeOf(entry);
  return entry.source === 'env' ? `env ${place}` : (place ?? entry.source);
}

interface Row {
  readonly keyPath: readonly string[];
  readonly envVar: string;
  readonly value: unknown;
  readonly entry: SettingExplanation;
}

function yamlReport(rows: readonly Row[], withSources: boolean): string {
  const tree: Record<string, unknown> = {};
  for (const row of rows) setPath(tree, row.keyPath, row.value);
  const doc = new Document(tree);
  if (withSources) {
    for (const row of rows) {
      const node = doc.getIn(row.keyPath, true);
      // A collection is written inline, so that its source fits on its line too.
      if (isCollection(node)) node.flow = true;
      if (isScalar(node) || isCollection(node)) node.comment = ` ${sourceOf(row.entry)}`;
    }
  }
  return doc.toString({ lineWidth: 0 });
}

function envReport(rows: readonly Row[], withSources: boolean): string {
  return rows
    .map((row) => {
      const line = `${row.envVar}=${row.value === null ? 'None' : dotenvValue(envText(row.value))}`;
      return withSources ? `# ${sourceOf(row.entry)}\n${line}\n` : `${line}\n`;
    })
    .join('');
}

function jsonReport(rows: readonly Row[], withSources: boolean): string {
  if (withSources) {
    const entries = rows.map((row) => ({
      key: row.keyPath.join('.'),
      envVar: row.envVar,
      value: row.value,
      source: row.entry.source,
      ...(placeOf(row.entry) !== undefined && { from: placeOf(row.entry) }),
    }));
    return `${JSON.stringify(entries, null, 2)}\n`;
  }
  const tree: Record<string, unknown> = {};
  for (const row of rows) setPath(tree, row.keyPath, row.value);
  return `${JSON.stringify(tree, null, 2)}\n`;
}

/** `letta-settings print`: the effective settings in a config-file or `.env` shape, secrets redacted. */
export function printCommand({ options, operands }: CommandArgs): number {
  const model = lettaSettingsModel();
  const warnings: SettingsIssue[] = [];
  const envFile = options['env-file'] as string | undefined;
  const style = styleFor(process.stderr, process.env);
  let settings: object;
  try {
    settings = loadSettings({
      configFiles: operands,
      ...(envFile !== undefined && { dotenv: envFile }),
      onWarning: (warning) => warnings.push(warning),
    });
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    const diagnostics = [
      ...error.issues.map((issue) => toDiagnostic(issue, 'error', model)),
      ...warnings.map((issue) => toDiagnostic(issue, 'warning', model)),
    ];
    process.stderr.write(
      formatReport(diagnostics, { format: 'text', checked: 'Settings', files: operands }, style),
    );
    return 1;
  }
  for (const warning of warnings)
    process.stderr.write(textLine(toDiagnostic(warning, 'warning', model), style));
  const sources = new Map(explain(settings).map((entry) => [entry.path, entry]));
  const rows = model.fields.flatMap((field): Row[] => {
    const entry = sources.get(field.path);
    if (!entry) return [];
    const value = printable(getPath(settings as Record<string, unknown>, field.segments));
    return [
      {
        keyPath: (configKeys(field)[0] ?? field.configKey).split('.'),
        envVar: field.envVars[0] ?? '',
        value,
        entry,
      },
    ];
  });
  const withSources = options.explain === true;
  const render = { yaml: yamlReport, json: jsonReport, env: envReport }[
    options.format as 'yaml' | 'json' | 'env'
  ];
  process.stdout.write(render(rows, withSources));
  return 0;
}
