import { type ConfigEntry, type ParsedConfigFile, parseConfigFile, parseJsonConfigFile } from './config-file';
import { closest } from './did-you-mean';
import { fileIssue } from './file-issue';
import type { FileLimits } from './file-limits';
import { readText } from './read-text';
import type { FieldSpec } from './setting-field';
import type { SettingsIssue } from './settings-error';
import type { SettingsModel } from './settings-model';
import type { Candidate } from './value-origin';
import { YAML_1_1_OPTIONS } from './yaml-1-1';

/** A config file to look for, and whether it must exist. */
export interface ConfigCandidate {
  readonly path: string;
  readonly required: boolean;
  /** What named the file, for the message when it is missing: `configFiles` or an env var. */
  readonly via: string;
}

/** A config file of one load: its absolute path, the path messages show, and what named it. */
export interface ConfigFile {
  readonly file: string;
  readonly shown: string;
  readonly candidate: ConfigCandidate;
}

export interface ConfigFilesInput {
  readonly model: SettingsModel;
  /** Lowest precedence first. */
  readonly files: readonly ConfigFile[];
  readonly sections: Readonly<Record<string, string>>;
  readonly inPrefix: (name: string) => boolean;
  readonly limits: FileLimits;
  readonly issues: SettingsIssue[];
  readonly warnings: SettingsIssue[];
  readonly ignoredFileKey?: (key: string, name: string, field: FieldSpec) => string | undefined;
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

/** Reads and parses one file; `undefined`, with an issue when that matters, when there is nothing to read. */
function parseFile(
  { file, shown, candidate }: ConfigFile,
  input: ConfigFilesInput,
): ParsedConfigFile | undefined {
  const read = readText(file, input.limits.maxFileBytes);
  if ('missing' in read) {
    if (candidate.required) {
      input.issues.push({
        path: '',
        file: shown,
        message: `${candidate.via}: config file "${candidate.path}" does not exist`,
      });
    }
    return undefined;
  }
  if ('error' in read) {
    input.issues.push(fileIssue(shown, read.error));
    return undefined;
  }
  const rules = { sections: input.sections, isSetting: (name: string) => input.model.byFileName.has(name) };
  const parsed = /\.json$/i.test(file)
    ? parseJsonConfigFile(read.text, rules, input.limits)
    : parseConfigFile(read.text, rules, input.limits, YAML_1_1_OPTIONS);
  for (const problem of parsed.problems)
    input.issues.push(fileIssue(shown, problem.message, problem.line, problem.column));
  return parsed;
}

function warnOtherSections(parsed: ParsedConfigFile, shown: string, input: ConfigFilesInput): void {
  const known = Object.keys(input.sections);
  for (const other of parsed.otherSections) {
    const section = closest(other.key, known);
    const hint =
      section === undefined ? ` (the sections read are ${known.join(', ')})` : `; did you mean ${section}?`;
    input.warnings.push(
      fileIssue(shown, `section ${other.key} is not read${hint}`, other.line, other.column),
    );
  }
}

/** Puts a file's values into `values`, reporting unknown keys and two keys that set one setting. */
function takeValues(
  parsed: ParsedConfigFile,
  shown: string,
  input: ConfigFilesInput,
  values: Map<string, Candidate>,
): void {
  const { model, issues } = input;
  const seen = new Map<string, string>();
  for (const entry of parsed.entries) {
    const field = model.byFileName.get(entry.name);
    if (!field) {
      if (input.inPrefix(entry.name)) {
        const problem = `unknown key ${entry.key}${suggestKey(entry, model)}`;
        issues.push(fileIssue(shown, problem, entry.keyAt.line, entry.keyAt.column));
      }
      continue;
    }
    const earlier = seen.get(field.path);
    if (earlier !== undefined) {
      const problem = `${entry.key} sets the same setting as ${earlier}; keep one`;
      issues.push(fileIssue(shown, problem, entry.line, entry.column));
      continue;
    }
    const ignored = input.ignoredFileKey?.(entry.key, entry.name, field);
    if (ignored !== undefined)
      input.warnings.push(fileIssue(shown, ignored, entry.keyAt.line, entry.keyAt.column));
    // A null value leaves the setting unset (and a later file, or the default, decides).
    if (entry.value === null) continue;
    seen.set(field.path, entry.key);
    values.set(field.path, {
      raw: entry.value,
      origin: { source: 'file', key: entry.key, file: shown, line: entry.line, column: entry.column },
      ...(entry.items && { items: entry.items }),
    });
  }
}

/** The config-file layer: per setting path, the value of the file with the highest precedence. */
export function readConfigFiles(input: ConfigFilesInput): Map<string, Candidate> {
  const values = new Map<string, Candidate>();
  for (const configFile of input.files) {
    const parsed = parseFile(configFile, input);
    if (parsed === undefined) continue;
    warnOtherSections(parsed, configFile.shown, input);
    takeValues(parsed, configFile.shown, input, values);
  }
  return values;
}
