import { Secret } from '@letta/core';
import { lettaSettingsModel } from '../letta/letta-models';
import { loadSettings } from '../letta/letta-settings';
import { explain, type SettingExplanation } from '../loader/explain';
import { getPath, setPath } from '../loader/resolve-settings';
import { SettingsError, type SettingsIssue } from '../loader/settings-error';
import { loadYaml } from '../loader/yaml-module';
import type { CommandArgs } from './command-args';
import { configKeys } from './config-sections';
import { formatReport, textLine, toDiagnostic } from './diagnostics';
import { lettaFileValue } from './letta-file-value';
import { limitsFrom } from './limit-options';
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
  /** The value as a config file gives it to Letta (see `lettaFileValue`). */
  readonly fileValue: unknown;
  /** Where the value came from; present only with `--explain`. */
  readonly provenance?: SettingExplanation;
}

function settingsTree(rows: readonly Row[]): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const row of rows) setPath(tree, row.keyPath, row.value);
  return tree;
}

function yamlReport(rows: readonly Row[]): string {
  const { Document, isCollection, isScalar } = loadYaml();
  // Written as YAML 1.1 (without the directive), so that text PyYAML would read as a boolean, a number
  // or a date (`yes`, `010`, `2001-12-14`) is quoted.
  const doc = new Document(settingsTree(rows.map((row) => ({ ...row, value: row.fileValue }))), {
    version: '1.1',
  });
  for (const row of rows) {
    if (row.provenance === undefined) continue;
    const node = doc.getIn(row.keyPath, true);
    // A collection is written inline, so that its source fits on its line too.
    if (isCollection(node)) node.flow = true;
    if (isScalar(node) || isCollection(node)) node.comment = ` ${sourceOf(row.provenance)}`;
  }
  return doc.toString({ lineWidth: 0 });
}

function envReport(rows: readonly Row[]): string {
  return rows
    .map((row) => {
      const line = `${row.envVar}=${row.value === null ? 'None' : dotenvValue(envText(row.value))}`;
      return row.provenance === undefined ? `${line}\n` : `# ${sourceOf(row.provenance)}\n${line}\n`;
    })
    .join('');
}

function jsonReport(rows: readonly Row[]): string {
  return `${JSON.stringify(settingsTree(rows), null, 2)}\n`;
}

/** `--format json --explain`: a list of entries, each with its source, instead of the settings' shape. */
function jsonProvenanceReport(rows: readonly Row[]): string {
  const entries = rows.map((row) => {
    const from = row.provenance && placeOf(row.provenance);
    return {
      key: row.keyPath.join('.'),
      envVar: row.envVar,
      value: row.value,
      source: row.provenance?.source,
      ...(from !== undefined && { from }),
    };
  });
  return `${JSON.stringify(entries, null, 2)}\n`;
}

const REPORTS = { yaml: yamlReport, json: jsonReport, env: envReport };
const EXPLAINED_REPORTS = { ...REPORTS, json: jsonProvenanceReport };

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
      limits: limitsFrom(options),
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
  const explanations = new Map(explain(settings).map((entry) => [entry.path, entry]));
  const explaining = options.explain === true;
  const rows = model.fields.flatMap((field): Row[] => {
    const entry = explanations.get(field.path);
    if (!entry) return [];
    const value = printable(getPath(settings as Record<string, unknown>, field.segments));
    return [
      {
        keyPath: (configKeys(field)[0] ?? field.configKey).split('.'),
        envVar: field.envVars[0] ?? '',
        value,
        fileValue: lettaFileValue(field, value),
        ...(explaining && { provenance: entry }),
      },
    ];
  });
  const render = (explaining ? EXPLAINED_REPORTS : REPORTS)[options.format as 'yaml' | 'json' | 'env'];
  process.stdout.write(render(rows));
  return 0;
}
