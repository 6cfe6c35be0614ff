import type { FieldSpec } from '../loader/setting-field';

/** The top-level sections of Letta's config file, and the name prefix each one's keys flatten onto. */
export const LETTA_FILE_SECTIONS = { letta: 'LETTA', model: '', tool: '', datadog: 'DD' } as const;

/**
 * The conf.yaml key that Letta's own loader turns into the variable a setting is read from: its own
 * key (`letta.pg.pool_size`) unless the setting is read from other variables. Letta
 * flattens `letta:` onto `LETTA_`, `datadog:` onto `DD_`, and a top-level key of `tool:` (or `model:`)
 * onto its own name in upper case, so `LETTA_DIR` is `letta.dir`, `DD_GIT_COMMIT_SHA` is
 * `datadog.git_commit_sha` and `TELEMETRY_SOCKET` is `tool.telemetry_socket`.
 */
export function lettaFileKey(field: Pick<FieldSpec, 'envVars' | 'fileNames' | 'configKey'>): string {
  const name = field.envVars[0] ?? '';
  if (name === field.fileNames[0]) return field.configKey;
  for (const [section, prefix] of Object.entries(LETTA_FILE_SECTIONS)) {
    if (prefix !== '' && name.startsWith(`${prefix}_`))
      return `${section}.${name.slice(prefix.length + 1).toLowerCase()}`;
  }
  return `tool.${name.toLowerCase()}`;
}

/** True when Letta reads the variable `name` for a setting, so a config-file key that becomes it reaches it. */
export function lettaReadsName(name: string, field: Pick<FieldSpec, 'envVars'>): boolean {
  return field.envVars.includes(name);
}

/**
 * Why Letta would not read a config-file key that this loader reads, or `undefined` when it reads it:
 * Letta's sections are lower case, and a key only reaches a setting through a variable Letta reads.
 */
export function lettaIgnoredKey(
  key: string,
  name: string,
  field: Pick<FieldSpec, 'envVars' | 'fileNames' | 'configKey'>,
): string | undefined {
  const section = key.split('.')[0] ?? '';
  if (section in LETTA_FILE_SECTIONS && lettaReadsName(name, field)) return undefined;
  return `${key}: Letta ignores this key (it becomes ${name}, which Letta does not read); write ${lettaFileKey(field)} instead`;
}
