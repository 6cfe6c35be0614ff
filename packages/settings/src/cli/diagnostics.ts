import type { SettingsIssue } from '../loader/settings-error';
import type { SettingsModel } from '../loader/settings-model';
import type { Style } from './style';

/** One finding of `validate`, ready to print in any format. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** The setting's property path, e.g. `pgPoolSize`, when the finding is about one setting. */
  readonly setting?: string;
  /** The setting's environment variable, or the variable that supplied the value. */
  readonly envVar?: string;
  /** The finding without its file position, e.g. `letta.pg.pool_size: expected an integer >= 0, got "ten"`. */
  readonly message: string;
}

export type DiagnosticFormat = 'text' | 'json' | 'github';

/** A loader issue as a diagnostic. A finding in a file always gets a line and a column (1 when unknown). */
export function toDiagnostic(
  issue: SettingsIssue,
  severity: Diagnostic['severity'],
  model: SettingsModel,
): Diagnostic {
  const field = model.byPath.get(issue.path);
  const position = [issue.file, issue.line, issue.column].filter((part) => part !== undefined).join(':');
  const located = issue.file !== undefined && issue.message.startsWith(`${position}: `);
  return {
    severity,
    ...(issue.file !== undefined && { file: issue.file, line: issue.line ?? 1, column: issue.column ?? 1 }),
    ...(field && { setting: field.path }),
    ...((issue.envVar ?? field?.envVars[0]) && { envVar: issue.envVar ?? field?.envVars[0] }),
    message: located ? issue.message.slice(position.length + 2) : issue.message,
  };
}

/** Files first, in order of position; findings about the environment last. */
function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file === undefined ? 1 : 0) - (b.file === undefined ? 1 : 0) ||
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

function location(diagnostic: Diagnostic): string | undefined {
  return diagnostic.file === undefined
    ? undefined
    : `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}`;
}

const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** A GitHub Actions workflow command, which shows the finding on the pull request's diff. */
function githubAnnotation(diagnostic: Diagnostic): string {
  const properties = [
    diagnostic.file !== undefined && `file=${escapeProperty(diagnostic.file)}`,
    diagnostic.line !== undefined && `line=${diagnostic.line}`,
    diagnostic.column !== undefined && `col=${diagnostic.column}`,
    `title=${escapeProperty(diagnostic.envVar ?? 'letta-settings')}`,
  ].filter(Boolean);
  return `::${diagnostic.severity} ${properties.join(',')}::${escapeData(diagnostic.message)}\n`;
}

/** `file:line:column: error: message`, the format compilers use, which editors and CI logs link. */
export function textLine(diagnostic: Diagnostic, style: Style): string {
  const at = location(diagnostic);
  const severity =
    diagnostic.severity === 'error' ? style.red(style.bold('error')) : style.yellow(style.bold('warning'));
  return `${at === undefined ? '' : `${style.bold(at)}: `}${severity}: ${diagnostic.message}\n`;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The last line of a text report, e.g. `2 files checked: 1 error, 1 warning.` */
function summary(diagnostics: readonly Diagnostic[], checked: string, style: Style): string {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const counts = [errors > 0 && plural(errors, 'error'), warnings > 0 && plural(warnings, 'warning')]
    .filter(Boolean)
    .join(', ');
  if (errors > 0) return style.red(`${checked}: ${counts}.`);
  return style.green(`${checked}: valid${warnings > 0 ? ` (${counts})` : ''}.`);
}

/** Renders a report of `validate` in the requested format. */
export function formatReport(
  diagnostics: readonly Diagnostic[],
  options: { readonly format: DiagnosticFormat; readonly checked: string; readonly files: readonly string[] },
  style: Style,
): string {
  const sorted = sortDiagnostics(diagnostics);
  if (options.format === 'json') {
    const errors = sorted.filter((diagnostic) => diagnostic.severity === 'error').length;
    const report = {
      valid: errors === 0,
      files: options.files,
      errors,
      warnings: sorted.length - errors,
      diagnostics: sorted,
    };
    return `${JSON.stringify(report, null, 2)}\n`;
  }
  const line = options.format === 'github' ? githubAnnotation : (d: Diagnostic) => textLine(d, style);
  return `${sorted.map(line).join('')}${summary(sorted, options.checked, style)}\n`;
}
