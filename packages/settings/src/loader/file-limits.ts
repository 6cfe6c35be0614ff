/**
 * Bounds on what one load reads, so that a hostile or broken file gives a located error in bounded time
 * and memory instead of a hang, a stack overflow or an out-of-memory abort.
 */
export interface FileLimits {
  /** Largest config, `.env` or `NAME_FILE` file read, in bytes. @default 4194304 (4 MiB) */
  readonly maxFileBytes: number;
  /** Deepest nesting of mappings and lists in a config file, after aliases. @default 64 */
  readonly maxDepth: number;
  /** Most YAML aliases (`*name`) a config file may expand. @default 1000 */
  readonly maxAliases: number;
}

export const DEFAULT_FILE_LIMITS: FileLimits = Object.freeze({
  maxFileBytes: 4 * 1024 * 1024,
  maxDepth: 64,
  maxAliases: 1000,
});

/** How an operator raises a limit: the load option and the `validate` flag. */
export const HOW_TO_RAISE: Readonly<Record<keyof FileLimits, string>> = Object.freeze({
  maxFileBytes: 'limits.maxFileBytes (letta-settings validate --max-file-bytes)',
  maxDepth: 'limits.maxDepth (letta-settings validate --max-depth)',
  maxAliases: 'limits.maxAliases (letta-settings validate --max-aliases)',
});

/** The message of a limit that a file goes over, with how to raise it. */
export function overLimit(limit: keyof FileLimits, what: string): string {
  return `${what}; if the file is meant to be this way, raise ${HOW_TO_RAISE[limit]}`;
}
