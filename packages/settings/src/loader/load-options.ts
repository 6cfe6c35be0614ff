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
  /** Receives warnings such as unknown variables. @default process.emitWarning with code `LETTA_SETTINGS` */
  readonly onWarning?: (warning: SettingsIssue) => void;
}
