import type { LayerPaths } from './layer-paths';
import { readText } from './read-text';
import type { SettingsIssue } from './settings-error';
import { type Candidate, issueAt, type ValueOrigin } from './value-origin';

/** One variable of the environment or of a `.env` file (then with its file and line). */
export interface VariableEntry {
  readonly name: string;
  readonly value: string;
  readonly file?: string;
  readonly line?: number;
}

/** Variables by upper-cased name: one layer of environment-style values. */
export type VariableTable = Map<string, VariableEntry>;

/** The environment as a table; of two names that differ in case only, the upper-case one wins. */
export function envTable(env: Readonly<Record<string, string | undefined>>): VariableTable {
  const table: VariableTable = new Map();
  for (const name of Object.keys(env)) {
    const value = env[name];
    if (value === undefined) continue;
    const upper = name.toUpperCase();
    if (!table.has(upper) || name === upper) table.set(upper, { name, value });
  }
  return table;
}

/** Where a variable's value came from; `fromFile` when it is the content of the file a `NAME_FILE` names. */
export function variableOrigin(entry: VariableEntry, fromFile?: true): ValueOrigin {
  const marked = fromFile && { fromFile };
  return entry.file === undefined
    ? { source: 'env', envVar: entry.name, ...marked }
    : { source: 'dotenv', envVar: entry.name, file: entry.file, line: entry.line ?? 0, ...marked };
}

function nonEmptyEntry(table: VariableTable, name: string): VariableEntry | undefined {
  const entry = table.get(name);
  return entry !== undefined && entry.value !== '' ? entry : undefined;
}

/** The value of the file a `NAME_FILE` variable names: `'empty'` for an empty file, `'unreadable'` after an issue. */
function readFileVariable(
  entry: VariableEntry,
  paths: LayerPaths,
  issues: SettingsIssue[],
): Candidate | 'empty' | 'unreadable' {
  const read = readText(paths.absolute(entry.value), paths.limits.maxFileBytes);
  if ('text' in read) {
    const value = read.text.replace(/\r?\n$/, '');
    return value === '' ? 'empty' : { raw: value, origin: variableOrigin(entry, true) };
  }
  const problem =
    'missing' in read
      ? `cannot read "${entry.value}" (it does not exist); fix the path or unset it`
      : `"${entry.value}" ${read.error}`;
  issues.push(issueAt('', variableOrigin(entry), problem));
  return 'unreadable';
}

/** The first of `names` set in `table`, directly or through `NAME_FILE`. */
export function lookupVariable(
  table: VariableTable,
  names: readonly string[],
  paths: LayerPaths,
  issues: SettingsIssue[],
): Candidate | undefined {
  for (const name of names) {
    const direct = nonEmptyEntry(table, name);
    const viaFile = nonEmptyEntry(table, `${name}_FILE`);
    if (direct && viaFile) {
      const problem = `set either ${direct.name} or ${viaFile.name}, not both`;
      issues.push(issueAt('', variableOrigin(viaFile), problem));
    }
    if (direct) return { raw: direct.value, origin: variableOrigin(direct) };
    if (!viaFile) continue;
    const read = readFileVariable(viaFile, paths, issues);
    if (read === 'empty') continue;
    return read === 'unreadable' ? undefined : read;
  }
  return undefined;
}
