import { DEFAULT_FILE_LIMITS, type FileLimits } from './file-limits';
import type { LoadOptions } from './load-options';
import type { SettingsIssue } from './settings-error';

const UNKNOWN_ENV = ['warn', 'error', 'ignore'];

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Checks one load's options (which may come from untyped code): each bad one is an issue and is dropped. */
class OptionsCheck {
  readonly issues: SettingsIssue[] = [];

  problem(option: string, expected: string, value: unknown): undefined {
    this.issues.push({
      path: '',
      message: `options.${option}: expected ${expected}, got ${describe(value)}`,
    });
    return undefined;
  }

  string(option: string, value: unknown): string | undefined {
    if (value === undefined || typeof value === 'string') return value;
    return this.problem(option, 'a string', value);
  }

  strings(option: string, value: unknown): readonly string[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) return this.problem(option, 'an array of strings', value);
    return value.filter(
      (item: unknown, index) =>
        typeof item === 'string' || this.problem(`${option}[${index}]`, 'a string', item),
    );
  }

  env(value: unknown): Readonly<Record<string, string>> | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return this.problem('env', 'an object of strings', value);
    const env: Record<string, string> = {};
    for (const [name, item] of Object.entries(value)) {
      if (typeof item === 'string') env[name] = item;
      else if (item !== undefined) this.problem(`env.${name}`, 'a string', item);
    }
    return env;
  }

  dotenv(value: unknown): LoadOptions<unknown>['dotenv'] {
    if (value === undefined || value === false || typeof value === 'string') return value;
    if (Array.isArray(value)) return this.strings('dotenv', value);
    this.problem('dotenv', 'false, a path or an array of paths', value);
    return false;
  }

  limits(value: unknown): Partial<FileLimits> | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null) return this.problem('limits', 'an object', value);
    const limits: Partial<Record<keyof FileLimits, number>> = {};
    for (const name of Object.keys(DEFAULT_FILE_LIMITS) as (keyof FileLimits)[]) {
      const limit = (value as Record<string, unknown>)[name];
      if (limit === undefined) continue;
      if (typeof limit === 'number' && Number.isSafeInteger(limit) && limit > 0) limits[name] = limit;
      else this.problem(`limits.${name}`, 'a whole number greater than 0', limit);
    }
    return limits;
  }
}

/**
 * The options of one load with every ill-typed one left out, and an issue for each: a load given
 * `configFiles: [42]` reports it as a `SettingsError`, like any other mistake in the configuration.
 */
export function checkedOptions(options: LoadOptions<unknown>): {
  readonly options: LoadOptions<unknown>;
  readonly issues: SettingsIssue[];
} {
  const check = new OptionsCheck();
  const unknownEnv = UNKNOWN_ENV.includes(options.unknownEnv as string) ? options.unknownEnv : undefined;
  if (options.unknownEnv !== undefined && unknownEnv === undefined)
    check.problem('unknownEnv', '"warn", "error" or "ignore"', options.unknownEnv);
  const checked: LoadOptions<unknown> = {
    ...options,
    env: check.env(options.env),
    cwd: check.string('cwd', options.cwd),
    home: check.string('home', options.home),
    configFiles: check.strings('configFiles', options.configFiles),
    dotenv: check.dotenv(options.dotenv),
    unknownEnv,
    limits: check.limits(options.limits),
    ignoreEnv: check.strings('ignoreEnv', options.ignoreEnv),
  };
  const overrides: unknown = options.overrides;
  const plainOverrides = typeof overrides === 'object' && !Array.isArray(overrides);
  if (overrides !== undefined && !plainOverrides) check.problem('overrides', 'an object', overrides);
  const onWarning: unknown = options.onWarning;
  if (onWarning !== undefined && typeof onWarning !== 'function')
    check.problem('onWarning', 'a function', onWarning);
  return {
    options: { ...checked, overrides: plainOverrides ? overrides : undefined },
    issues: check.issues,
  };
}
