import type { FileLimits } from './file-limits';
import type { SettingsIssue } from './settings-error';

/** Options of every settings loader (`loadSettings`, `loadTestSettings`, a `defineSettings` definition's `load`). */
export interface LoadOptions<TOverrides> {
  /** Environment variables to read; names match case-insensitively. Never mutated. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Directory that relative paths, `./conf.yaml` and the default `.env` are resolved against. @default process.cwd() */
  readonly cwd?: string;
  /** Home directory for `~` in paths and for `~/.letta/conf.yaml`. @default os.homedir() */
  readonly home?: string;
  /** YAML or JSON config files read before the default ones; a later file wins over an earlier one. */
  readonly configFiles?: readonly string[];
  /**
   * `.env` files to read: `false` for none, or a path or paths (a later file wins; each must exist).
   * @default `.env` in `cwd`, when it exists
   */
  readonly dotenv?: false | string | readonly string[];
  /** Values that win over every other layer, e.g. in tests. */
  readonly overrides?: TOverrides;
  /**
   * What to do with an env var or `.env` entry that starts with the prefix but names no setting
   * (usually a typo): report it through `onWarning`, make it an error, or ignore it.
   * @default 'warn'
   */
  readonly unknownEnv?: 'warn' | 'error' | 'ignore';
  /**
   * Bounds on what a load reads: the size of each file, the nesting of a config file and the YAML aliases
   * it expands. Going over one is an error that names the file and the limit.
   * @default { maxFileBytes: 4194304, maxDepth: 64, maxAliases: 1000 }
   */
  readonly limits?: Partial<FileLimits>;
  /**
   * Variables in the prefix that belong to the service rather than to these settings, so that they are
   * not reported as unknown (typo detection stays on for every other name), e.g. `['MYAPP_BUILD_ID']`.
   * A name ending in `*` ignores every variable that starts with it.
   */
  readonly ignoreEnv?: readonly string[];
  /** Receives warnings such as unknown variables. @default process.emitWarning with code `LETTA_SETTINGS` */
  readonly onWarning?: (warning: SettingsIssue) => void;
}
