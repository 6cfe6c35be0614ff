import { DEFAULT_FILE_LIMITS, type FileLimits } from '../loader/file-limits';
import type { CommandArgs, OptionSpec } from './command-args';
import { UsageError } from './usage-error';

const FLAGS: Readonly<Record<keyof FileLimits, string>> = {
  maxFileBytes: 'max-file-bytes',
  maxDepth: 'max-depth',
  maxAliases: 'max-aliases',
};

const WHAT: Readonly<Record<keyof FileLimits, string>> = {
  maxFileBytes: 'Largest file read, in bytes',
  maxDepth: 'Deepest nesting of a config file',
  maxAliases: 'Most YAML aliases a config file may expand',
};

/** The options that raise the loader's limits, for the commands that read config files. */
export const LIMIT_OPTIONS: Readonly<Record<string, OptionSpec>> = Object.fromEntries(
  (Object.keys(FLAGS) as (keyof FileLimits)[]).map((name) => [
    FLAGS[name],
    {
      type: 'string',
      placeholder: 'n',
      description: `${WHAT[name]} (default ${DEFAULT_FILE_LIMITS[name]})`,
    },
  ]),
);

/** The limits the command line sets; a value that is not a whole number above 0 is a usage error. */
export function limitsFrom(options: CommandArgs['options']): Partial<FileLimits> {
  const limits: Partial<Record<keyof FileLimits, number>> = {};
  for (const name of Object.keys(FLAGS) as (keyof FileLimits)[]) {
    const text = options[FLAGS[name]];
    if (typeof text !== 'string') continue;
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < 1)
      throw new UsageError(`--${FLAGS[name]}: expected a whole number greater than 0, got "${text}"`);
    limits[name] = value;
  }
  return limits;
}
