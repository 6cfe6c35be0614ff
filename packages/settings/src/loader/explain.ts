import type { LoadOptions } from './load-options';
import type { Resolution } from './resolve-settings';
import { getPath } from './resolve-settings';
import { SettingsError, type SettingsIssue } from './settings-error';
import type { SettingSource, ValueOrigin } from './value-origin';

/** Where one setting's value came from, as `explain(settings)` reports it. */
export interface SettingExplanation {
  /** Property path, e.g. `telemetry.datadogAgentPort`. */
  readonly path: string;
  /** The loaded value (secrets stay `Secret`s, so they print as `[redacted]`). */
  readonly value: unknown;
  readonly source: SettingSource;
  /** The env var or `.env` entry that supplied it. */
  readonly envVar?: string;
  /** The config or `.env` file that supplied it. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** The config-file key or the override path that supplied it. */
  readonly key?: string;
}

const ORIGINS = Symbol('settingsOrigins');

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}

function emitWarning(warning: SettingsIssue): void {
  process.emitWarning(warning.message, { code: 'LETTA_SETTINGS' });
}

/** Reports warnings, throws on issues, and returns the values deep-frozen with their provenance attached. */
export function finishSettings<T>(resolution: Resolution, options: LoadOptions<unknown>): T {
  const onWarning = typeof options.onWarning === 'function' ? options.onWarning : emitWarning;
  for (const warning of resolution.warnings) onWarning(Object.freeze(warning));
  if (resolution.issues.length > 0) throw new SettingsError(resolution.issues);
  Object.defineProperty(resolution.values, ORIGINS, { value: Object.freeze([...resolution.origins]) });
  return deepFreeze(resolution.values) as T;
}

function explanation(path: string, value: unknown, origin: ValueOrigin): SettingExplanation {
  switch (origin.source) {
    case 'default':
      return { path, value, source: 'default' };
    case 'env':
      return { path, value, source: 'env', envVar: origin.envVar };
    case 'dotenv':
      return { path, value, source: 'dotenv', envVar: origin.envVar, file: origin.file, line: origin.line };
    case 'file':
      return {
        path,
        value,
        source: 'file',
        file: origin.file,
        line: origin.line,
        column: origin.column,
        key: origin.key,
      };
    case 'override':
      return { path, value, source: 'override', key: origin.key };
  }
}

/**
 * Where each setting of a loaded settings object came from: `default`, `file` (with file:line:column),
 * `dotenv` (file:line), `env` (the variable) or `override`. Secrets stay redacted.
 *
 * ```ts
 * explain(loadSettings()).find((entry) => entry.path === 'pgPoolSize');
 * // { path: 'pgPoolSize', value: 10, source: 'env', envVar: 'LETTA_PG_POOL_SIZE' }
 * ```
 */
export function explain(settings: object): readonly SettingExplanation[] {
  const origins = (settings as { [ORIGINS]?: readonly (readonly [string, ValueOrigin])[] })[ORIGINS];
  if (!origins) {
    throw new TypeError(
      'explain() expects an object returned by loadSettings(), loadTestSettings() or a definition’s load()',
    );
  }
  return Object.freeze(
    origins.map(([path, origin]) =>
      Object.freeze(explanation(path, getPath(settings as Record<string, unknown>, path.split('.')), origin)),
    ),
  );
}
