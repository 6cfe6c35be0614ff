import { readFileSync } from 'node:fs';
import { type ConfigEntry, parseConfigFile } from './config-file';
import { closest } from './did-you-mean';
import type { SettingsIssue } from './settings-error';
import type { SettingsModel } from './settings-model';
import type { Candidate } from './value-origin';

/** A config file to look for, and whether it must exist. */
export interface ConfigCandidate {
  readonly path: string;
  readonly required: boolean;
  /** What named the file, for the message when it is missing: `configFiles` or an env var. */
  readonly via: string;
}

export type ReadResult = { readonly text: string } | { readonly missing: true } | { readonly error: string };

/** Reads a text file; a missing file and an unreadable one are results, not exceptions. */
export function readText(path: string): ReadResult {
  try {
    return { text: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    return code === 'ENOENT' ? { missing: true } : { error: code };
  }
}

/** An issue about a whole file or a position in it. */
export function fileIssue(file: string, problem: string, line?: number, column?: number): SettingsIssue {
  const at = line === undefined ? file : `${file}:${line}${column === undefined ? '' : `:${column}`}`;
  return { path: '', file, line, column, message: `${at}: ${problem}` };
}

/** The suggestion for an unknown key, written in the nesting the file used (`letta.pg.hots` → `letta.pg.host`). */
function suggestKey(entry: ConfigEntry, model: SettingsModel): string {
  const suggestion = closest(entry.name, model.byFileName.keys());
  if (suggestion === undefined) return '';
  const lastDot = entry.key.lastIndexOf('.');
  const parentName = entry.name.slice(0, entry.name.length - (entry.key.length - lastDot - 1) - 1);
  const rest = suggestion.startsWith(`${parentName}_`) ? suggestion.slice(parentName.length + 1) : undefined;
  const key = rest
    ? `${entry.key.slice(0, lastDot)}.${rest.toLowerCase()}`
    : model.byFileName.get(suggestion)?.configKey;
  return `; did you mean ${key}?`;
}

export interface ConfigFilesInput {
  readonly model: SettingsModel;
  /** Absolute path, display path and candidate, lowest precedence first. */
  readonly files: readonly {
    readonly file: string;
    readonly shown: string;
    readonly candidate: ConfigCandidate;
  }[];
  readonly sections: Readonly<Record<string, string>>;
  readonly inPrefix: (name: string) => boolean;
  readonly issues: SettingsIssue[];
  readonly warnings: SettingsIssue[];
}

/** Reads config files and returns, per setting path, the value of the file with the highest precedence. */
export function readConfigFiles(input: ConfigFilesInput): Map<string, Candidate> {
  const { model, issues, warnings } = input;
  const values = new Map<string, Candidate>();
  const rules = { sections: input.sections, isSetting: (name: string) => model.byFileName.has(name) };
  for (const { file, shown, candidate } of input.files) {
    const read = readText(file);
    if ('missing' in read) {
      if (candidate.required) {
        issues.push({
          path: '',
          message: `${candidate.via}: config file "${candidate.path}" does not exist`,
        });
      }
      continue;
    }
    if ('error' in read) {
      issues.push(fileIssue(shown, `cannot be read (${read.error})`));
      continue;
    }
    const parsed = parseConfigFile(read.text, rules, /\.json$/i.test(file) ? 'json' : 'yaml');
    for (const problem of parsed.problems)
      issues.push(fileIssue(shown, problem.message, problem.line, problem.column));
    const known = Object.keys(input.sections);
    for (const other of parsed.otherSections) {
      const section = closest(other.key, known);
      const hint =
        section === undefined ? ` (the sections read are ${known.join(', ')})` : `; did you mean ${section}?`;
      warnings.push(fileIssue(shown, `section ${other.key} is not read${hint}`, other.line, other.column));
    }
    const seen = new Map<string, string>();
    for (const entry of parsed.entries) {
      const field = model.byFileName.get(entry.name);
      if (!field) {
        if (input.inPrefix(entry.name)) {
          issues.push(
            fileIssue(
              shown,
              `unknown key ${entry.key}${suggestKey(entry, model)}`,
              entry.keyAt.line,
              entry.keyAt.column,
            ),
          );
        }
        continue;
      }
      const earlier = seen.get(field.path);
      if (earlier !== undefined) {
        issues.push(
          fileIssue(
            shown,
            `${entry.key} sets the same setting as ${earlier}; keep one`,
            entry.line,
            entry.column,
          ),
        );
        continue;
      }
      seen.set(field.path, entry.key);
      values.set(field.path, {
        raw: entry.value,
        origin: { source: 'file', key: entry.key, file: shown, line: entry.line, column: entry.column },
        ...(entry.items && { items: entry.items }),
      });
    }
  }
  return values;
}
