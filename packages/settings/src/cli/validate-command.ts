import { statSync } from 'node:fs';
import { resolveLettaSettings } from '../letta/letta-derived';
import { lettaExtensions } from '../letta/letta-layers';
import { lettaTableModel } from '../letta/letta-table-models';
import type { LoadOptions } from '../loader/load-options';
import type { LoaderExtensions } from '../loader/read-layers';
import type { SettingsIssue } from '../loader/settings-error';
import type { SettingsModel } from '../loader/settings-model';
import type { CommandArgs } from './command-args';
import { type Diagnostic, type DiagnosticFormat, formatReport, toDiagnostic } from './diagnostics';
import { limitsFrom } from './limit-options';
import { styleFor } from './style';
import { UsageError } from './usage-error';

/** Fails with a usage error (exit 2) unless `path` is a readable file. */
function requireFile(path: string, what: string): void {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'it does not exist' : `it cannot be read (${code})`;
    throw new UsageError(`validate: ${what} "${path}": ${reason}`);
  }
  if (!isFile) throw new UsageError(`validate: ${what} "${path}" is not a file`);
}

interface Findings {
  readonly errors: readonly SettingsIssue[];
  readonly warnings: readonly SettingsIssue[];
}

/** Loads as `loadSettings` does, and keeps every problem. */
function check(model: SettingsModel, options: LoadOptions<unknown>, extensions: LoaderExtensions): Findings {
  const resolution = resolveLettaSettings(model, options, extensions);
  return { errors: resolution.issues, warnings: resolution.warnings };
}

/** What the server would load: the environment, `.env` and the config files it searches for. */
function checkServerConfiguration(model: SettingsModel, limits: LoadOptions<unknown>['limits']): Findings {
  return check(model, { limits }, lettaExtensions);
}

/** The files given and nothing else: neither the environment nor the config files the server searches for. */
function checkGivenFiles(model: SettingsModel, options: LoadOptions<unknown>): Findings {
  return check(model, { env: {}, ...options }, { ...lettaExtensions, configSearch: undefined });
}

/**
 * `letta-settings validate`: checks each config file on its own (with the env file under it), or with
 * neither, the configuration the server would load. Imports neither zod nor the schema.
 */
export function validateCommand({ options, operands }: CommandArgs): number {
  const envFile = options['env-file'] as string | undefined;
  for (const file of operands) requireFile(file, 'config file');
  if (envFile !== undefined) requireFile(envFile, '--env-file');

  const model = lettaTableModel();
  const dotenv = envFile ?? (false as const);
  const limits = limitsFrom(options);
  const runs =
    operands.length > 0
      ? operands.map((file) => checkGivenFiles(model, { dotenv, configFiles: [file], limits }))
      : [
          envFile === undefined
            ? checkServerConfiguration(model, limits)
            : checkGivenFiles(model, { dotenv, limits }),
        ];

  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const strict = options.strict === true;
  for (const run of runs) {
    const found = [
      ...run.errors.map((issue) => toDiagnostic(issue, 'error', model)),
      ...run.warnings.map((issue) => toDiagnostic(issue, strict ? 'error' : 'warning', model)),
    ];
    for (const diagnostic of found) {
      const key = JSON.stringify(diagnostic);
      if (!seen.has(key) && seen.add(key)) diagnostics.push(diagnostic);
    }
  }

  const files = [...operands, ...(envFile === undefined ? [] : [envFile])];
  const checked =
    files.length === 0 ? 'Configuration' : files.length === 1 ? (files[0] ?? '') : `${files.length} files`;
  const report = formatReport(
    diagnostics,
    { format: options.format as DiagnosticFormat, checked, files },
    styleFor(process.stdout, process.env),
  );
  process.stdout.write(report);
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error') ? 1 : 0;
}
