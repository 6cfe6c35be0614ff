import { parseDotenv } from './dotenv-file';
import { fileIssue } from './file-issue';
import type { LayerPaths } from './layer-paths';
import type { LoadOptions } from './load-options';
import { readText } from './read-text';
import type { SettingsIssue } from './settings-error';
import type { VariableTable } from './variable-table';

interface DotenvReading {
  readonly paths: LayerPaths;
  readonly layer: VariableTable;
  readonly issues: SettingsIssue[];
}

/** Adds one `.env` file's entries to the layer; a missing file is left to the caller to judge. */
function readDotenvFile(path: string, { paths, layer, issues }: DotenvReading): 'read' | 'missing' {
  const file = paths.absolute(path);
  const shown = paths.display(file);
  const read = readText(file, paths.limits.maxFileBytes);
  if ('missing' in read) return 'missing';
  if ('error' in read) {
    issues.push(fileIssue(shown, read.error));
    return 'read';
  }
  const parsed = parseDotenv(read.text);
  for (const line of parsed.badLines) issues.push(fileIssue(shown, 'expected NAME=value', line));
  for (const entry of parsed.entries) {
    layer.set(entry.name.toUpperCase(), {
      name: entry.name,
      value: entry.value,
      file: shown,
      line: entry.line,
    });
  }
  return 'read';
}

/**
 * The `.env` layer: the files `dotenv` names (each must exist; a later one wins), or `.env` in `cwd`
 * when it names none and that file exists.
 */
export function readDotenvLayer(
  dotenv: LoadOptions<unknown>['dotenv'],
  paths: LayerPaths,
  issues: SettingsIssue[],
): VariableTable {
  const reading: DotenvReading = { paths, layer: new Map(), issues };
  if (dotenv === undefined) {
    readDotenvFile('.env', reading);
    return reading.layer;
  }
  for (const path of dotenv === false ? [] : [dotenv].flat()) {
    if (readDotenvFile(path, reading) === 'missing')
      issues.push({
        path: '',
        file: paths.display(paths.absolute(path)),
        message: `dotenv: "${path}" does not exist`,
      });
  }
  return reading.layer;
}
