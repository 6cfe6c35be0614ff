import { homedir } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import { type ConfigCandidate, fileIssue, readConfigFiles, readText } from './config-sources';
import { closest } from './did-you-mean';
import { parseDotenv } from './dotenv-file';
import type { LoadOptions } from './load-options';
import type { SettingsIssue } from './settings-error';
import type { SettingsModel } from './settings-model';
import { type Candidate, issueAt, type ValueOrigin } from './value-origin';

/** Loader behaviour beyond `defineSettings` that Letta's own settings need. */
export interface LoaderExtensions {
  /** Extra config-file sections: top-level key → name prefix (`datadog` → `DD`, `model` → ``). */
  readonly sections?: Readonly<Record<string, string>>;
  /** Names inside the prefix that belong to other settings and must not be reported as unknown. */
  readonly isForeign?: (name: string) => boolean;
  /** Config files searched after `configFiles`, highest precedence first. */
  readonly configSearch?: (context: {
    readonly cwd: string;
    readonly home: string;
    readonly variable: (name: string) => string | undefined;
  }) => readonly ConfigCandidate[];
}

interface VariableEntry {
  readonly name: string;
  readonly value: string;
  readonly file?: string;
  readonly line?: number;
}

type VariableTable = Map<string, VariableEntry>;

/** Everything read from outside the process for one load, with the problems found on the way. */
export interface Sources {
  readonly cwd: string;
  readonly home: string;
  readonly issues: SettingsIssue[];
  readonly warnings: SettingsIssue[];
  /** The first of `names` set in the environment, else in `.env` files (`NAME_FILE` included). */
  readonly variable: (names: readonly string[]) => Candidate | undefined;
  readonly fromFiles: (path: string) => Candidate | undefined;
}

function envTable(env: Readonly<Record<string, string | undefined>>): VariableTable {
  const table: VariableTable = new Map();
  for (const name of Object.keys(env)) {
    const value = env[name];
    if (value === undefined) continue;
    const upper = name.toUpperCase();
    if (!table.has(upper) || name === upper) table.set(upper, { name, value });
  }
  return table;
}

function originOf(entry: VariableEntry): ValueOrigin {
  return entry.file === undefined
    ? { source: 'env', envVar: entry.name }
    : { source: 'dotenv', envVar: entry.name, file: entry.file, line: entry.line ?? 0 };
}

/** Reads the environment, `.env` files and config files that a load of `model` consults. */
export function readSources(
  model: SettingsModel,
  options: LoadOptions<unknown>,
  extensions: LoaderExtensions,
): Sources {
  const cwd = resolve(options.cwd ?? process.cwd());
  const home = options.home ?? homedir();
  const issues: SettingsIssue[] = [];
  const warnings: SettingsIssue[] = [];
  const absolute = (path: string) => resolve(cwd, path.replace(/^~(?=$|[/\\])/, home));
  const display = (path: string) => {
    const rel = relative(cwd, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  };

  const env = envTable(options.env ?? process.env);
  const dotenv: VariableTable = new Map();
  const dotenvPaths =
    options.dotenv === undefined ? ['.env'] : options.dotenv === false ? [] : [options.dotenv].flat();
  for (const path of dotenvPaths) {
    const file = absolute(path);
    const shown = display(file);
    const read = readText(file);
    if ('missing' in read) {
      if (options.dotenv !== undefined)
        issues.push({ path: '', message: `dotenv: "${path}" does not exist` });
      continue;
    }
    if ('error' in read) {
      issues.push(fileIssue(shown, `cannot be read (${read.error})`));
      continue;
    }
    const parsed = parseDotenv(read.text);
    for (const line of parsed.badLines) issues.push(fileIssue(shown, 'expected NAME=value', line));
    for (const entry of parsed.entries) {
      dotenv.set(entry.name.toUpperCase(), {
        name: entry.name,
        value: entry.value,
        file: shown,
        line: entry.line,
      });
    }
  }

  const lookup = (table: VariableTable, names: readonly string[]): Candidate | undefined => {
    for (const name of names) {
      const direct = table.get(name);
      const viaFile = table.get(`${name}_FILE`);
      const set = direct !== undefined && direct.value !== '' ? direct : undefined;
      const fileSet = viaFile !== undefined && viaFile.value !== '' ? viaFile : undefined;
      if (set && fileSet)
        issues.push(issueAt('', originOf(fileSet), `set either ${set.name} or ${fileSet.name}, not both`));
      if (set) return { raw: set.value, origin: originOf(set) };
      if (!fileSet) continue;
      const read = readText(absolute(fileSet.value));
      if ('text' in read) {
        const value = read.text.replace(/\r?\n$/, '');
        if (value !== '') return { raw: value, origin: originOf(fileSet) };
        continue;
      }
      const reason = 'missing' in read ? 'it does not exist' : read.error;
      issues.push(
        issueAt(
          '',
          originOf(fileSet),
          `cannot read "${fileSet.value}" (${reason}); fix the path or unset it`,
        ),
      );
      return undefined;
    }
    return undefined;
  };
  const variable = (names: readonly string[]) => lookup(env, names) ?? lookup(dotenv, names);

  const isForeign = extensions.isForeign ?? (() => false);
  const inPrefix = (name: string) => name.startsWith(model.prefix) && !isForeign(name);
  if (options.unknownEnv !== 'ignore') {
    const report = options.unknownEnv === 'error' ? issues : warnings;
    for (const table of [env, dotenv]) {
      for (const [upper, entry] of table) {
        const base = upper.endsWith('_FILE') ? upper.slice(0, -5) : upper;
        // `base` too: the NAME_FILE form of another program's variable is that program's as well.
        if (!inPrefix(upper) || !inPrefix(base) || model.byEnvName.has(upper) || model.byEnvName.has(base))
          continue;
        const aliased = model.byFileName.get(base);
        const suggestion = closest(upper, model.byEnvName.keys());
        const hint = aliased
          ? `; it is read from ${aliased.envVars.join(' or ')}`
          : suggestion === undefined
            ? ''
            : `; did you mean ${suggestion}?`;
        report.push(issueAt('', originOf(entry), `not a known setting${hint}`));
      }
    }
  }

  const search = extensions.configSearch?.({
    cwd,
    home,
    variable: (name) => variable([name])?.raw as string,
  });
  const explicit = (options.configFiles ?? []).map((path) => ({ path, required: true, via: 'configFiles' }));
  const seen = new Set<string>();
  const files = [...explicit.reverse(), ...(search ?? [])]
    .map((candidate) => ({ file: absolute(candidate.path), candidate }))
    .filter(({ file }) => !seen.has(file) && seen.add(file))
    .map(({ file, candidate }) => ({ file, shown: display(file), candidate }))
    .reverse();
  const fileValues = readConfigFiles({
    model,
    files,
    sections: { [model.section]: model.prefix.slice(0, -1), ...extensions.sections },
    inPrefix,
    issues,
    warnings,
  });

  return { cwd, home, issues, warnings, variable, fromFiles: (path) => fileValues.get(path) };
}
