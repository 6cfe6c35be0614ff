import type { FieldSpec } from '../loader/setting-field';

/**
 * A value as `print --format yaml` writes it, so that Letta's own loader reads it back unchanged.
 * Letta turns each conf.yaml value into an environment variable with Python's `str()`, so a list
 * becomes `['a', 'b']`, which its list settings refuse: a list is written as the JSON text both loaders
 * read. Letta skips a null and keeps its default, so a server setting that is null where the default is
 * not is written as `None`, the text Letta's `Settings` reads as null.
 */
export function lettaFileValue(field: Pick<FieldSpec, 'segments' | 'default'>, value: unknown): unknown {
  if (Array.isArray(value)) return JSON.stringify(value);
  if (value === null && field.default !== null && field.segments.length === 1) return 'None';
  return value;
}
