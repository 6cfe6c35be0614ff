import { type ConfigCandidate, type ConfigFile, readConfigFiles } from './config-file-layer';
import { readDotenvLayer } from './dotenv-layer';
import { type LayerPaths, layerPaths } from './layer-paths';
import type { LoadOptions } from './load-options';
import type { FieldSpec } from './setting-field';
import type { SettingsIssue } from './settings-error';
import type { SettingsModel } from './settings-model';
import { ignoredNames, unknownVariableIssues } from './unknown-variables';
import type { Candidate } from './value-origin';
import { envTable, lookupVariable } from './variable-table';

/** Loader behaviour beyond `defineSettings` that Letta's own settings need. */
export interface LoaderExtensions {
  /** Extra config-file sections: top-level key → name prefix (`datadog` → `DD`, `model` → ``). */
  readonly sections?: Readonly<Record<string, string>>;
  /** Names inside the prefix that belong to other settings and must not be reported as unknown. */
  readonly isForeign?: (name: string) => boolean;
  /** A warning for a config-file key that is read but that Letta would ignore; `undefined` when none. */
  readonly ignoredFileKey?: (key: string, name: string, field: FieldSpec) => string | undefined;
  /** Config files searched after `configFiles`, highest precedence first. */
  readonly configSearch?: (context: {
    readonly cwd: string;
    readonly home: string;
    readonly variable: (name: string) => string | undefined;
  }) => readonly ConfigCandidate[];
}

/**
 * The layers of one load (the environment, `.env` files, config files), read from outside the process,
 * with the problems found on the way. Overrides are the last layer; the resolver reads them itself.
 */
export interface Layers extends LayerPaths {
  readonly issues: SettingsIssue[];
  readonly warnings: SettingsIssue[];
  /** The first of `names` set in the environment, else in `.env` files (`NAME_FILE` included). */
  readonly variable: (names: readonly string[]) => Candidate | undefined;
  /** The value of the setting at `path` in the config file of highest precedence that sets it. */
  readonly fromFiles: (path: string) => Candidate | undefined;
}

/** `configFiles`, then the files `configSearch` finds, each once, lowest precedence first. */
function configFileList(
  options: LoadOptions<unknown>,
  paths: LayerPaths,
  search: readonly ConfigCandidate[],
): ConfigFile[] {
  const explicit = (options.configFiles ?? []).map((path) => ({ path, required: true, via: 'configFiles' }));
  const seen = new Set<string>();
  return [...explicit.reverse(), ...search]
    .map((candidate) => ({ file: paths.absolute(candidate.path), candidate }))
    .filter(({ file }) => !seen.has(file) && seen.add(file))
    .map(({ file, candidate }) => ({ file, shown: paths.display(file), candidate }))
    .reverse();
}

/** Reads the environment, `.env` files and config files that a load of `model` consults. */
export function readLayers(
  model: SettingsModel,
  options: LoadOptions<unknown>,
  extensions: LoaderExtensions,
): Layers {
  const paths = layerPaths(options);
  const issues: SettingsIssue[] = [];
  const warnings: SettingsIssue[] = [];
  const env = envTable(options.env ?? process.env);
  const dotenv = readDotenvLayer(options.dotenv, paths, issues);
  const variable = (names: readonly string[]) =>
    lookupVariable(env, names, paths, issues) ?? lookupVariable(dotenv, names, paths, issues);

  const isForeign = extensions.isForeign ?? (() => false);
  const inPrefix = (name: string) => name.startsWith(model.prefix) && !isForeign(name);
  if (options.unknownEnv !== 'ignore') {
    const report = options.unknownEnv === 'error' ? issues : warnings;
    const ignored = ignoredNames(options.ignoreEnv);
    const isOurs = (name: string) => inPrefix(name) && !ignored(name);
    report.push(...unknownVariableIssues(model, [env, dotenv], isOurs));
  }

  const search = extensions.configSearch?.({
    cwd: paths.cwd,
    home: paths.home,
    variable: (name) => variable([name])?.raw as string,
  });
  const fileValues = readConfigFiles({
    model,
    files: configFileList(options, paths, search ?? []),
    sections: { [model.section]: model.prefix.slice(0, -1), ...extensions.sections },
    inPrefix,
    limits: paths.limits,
    issues,
    warnings,
    ...(extensions.ignoredFileKey && { ignoredFileKey: extensions.ignoredFileKey }),
  });

  return { ...paths, issues, warnings, variable, fromFiles: (path) => fileValues.get(path) };
}
