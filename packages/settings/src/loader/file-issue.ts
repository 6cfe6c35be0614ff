import type { SettingsIssue } from './settings-error';

/** An issue about a whole file or a position in it. */
export function fileIssue(file: string, problem: string, line?: number, column?: number): SettingsIssue {
  const at = line === undefined ? file : `${file}:${line}${column === undefined ? '' : `:${column}`}`;
  return { path: '', file, line, column, message: `${at}: ${problem}` };
}
