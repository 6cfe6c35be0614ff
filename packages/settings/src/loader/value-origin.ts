import type { SettingsIssue } from './settings-error';

/** Where a setting's value came from, lowest to highest precedence: default < file < dotenv < env < override. */
export type SettingSource = 'default' | 'file' | 'dotenv' | 'env' | 'override';

/** The source of one value, with enough detail to point an operator at it. */
export type ValueOrigin =
  | { readonly source: 'default'; readonly envVar: string }
  | { readonly source: 'env'; readonly envVar: string; readonly fromFile?: true }
  | {
      readonly source: 'dotenv';
      readonly envVar: string;
      readonly file: string;
      readonly line: number;
      readonly fromFile?: true;
    }
  | {
      readonly source: 'file';
      readonly key: string;
      readonly file: string;
      readonly line: number;
      readonly column: number;
    }
  | { readonly source: 'override'; readonly key: string };

/**
 * Whether the value came from the file a `NAME_FILE` variable names: such a value is treated as a secret
 * in every message, whatever the setting.
 */
export function readFromFile(origin: ValueOrigin): boolean {
  return (origin.source === 'env' || origin.source === 'dotenv') && origin.fromFile === true;
}

/** A raw value offered by one layer for one setting, with its provenance. */
export interface Candidate {
  readonly raw: unknown;
  readonly origin: ValueOrigin;
  /** For a list in a config file: where each item is, to point at the one that is wrong. */
  readonly items?: readonly { readonly line: number; readonly column: number }[];
}

/** The origin of a list's item: its own position when it came from a config file, else the list's. */
export function itemOrigin(candidate: Candidate, index: number | undefined): ValueOrigin {
  const at = index === undefined ? undefined : candidate.items?.[index];
  return at && candidate.origin.source === 'file' ? { ...candidate.origin, ...at } : candidate.origin;
}

/** The prefix of every message about a value: the env var, `file:line:column: key`, or `overrides.key`. */
function locate(origin: ValueOrigin): string {
  switch (origin.source) {
    case 'default':
      return `${origin.envVar} (default)`;
    case 'env':
      return origin.envVar;
    case 'dotenv':
      return `${origin.file}:${origin.line}: ${origin.envVar}`;
    case 'file':
      return `${origin.file}:${origin.line}:${origin.column}: ${origin.key}`;
    case 'override':
      return `overrides.${origin.key}`;
  }
}

/** An issue about the value at `path`, located where that value came from. */
export function issueAt(path: string, origin: ValueOrigin, problem: string): SettingsIssue {
  const issue: { -readonly [K in keyof SettingsIssue]: SettingsIssue[K] } = {
    path,
    message: `${locate(origin)}: ${problem}`,
  };
  if (origin.source === 'env' || origin.source === 'dotenv') issue.envVar = origin.envVar;
  if (origin.source === 'dotenv' || origin.source === 'file') {
    issue.file = origin.file;
    issue.line = origin.line;
  }
  if (origin.source === 'file') issue.column = origin.column;
  return issue;
}
