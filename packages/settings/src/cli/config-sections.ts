import { LETTA_FILE_SECTIONS, lettaFileKey } from '../letta/letta-file-keys';
import type { FieldSpec } from '../loader/setting-field';

/** A config-file section: its top-level key, the name prefix its keys flatten onto, and whether it is closed. */
export interface ConfigSection {
  readonly key: string;
  readonly prefix: string;
  /** Closed sections reject unknown keys (as the loader does under `letta:`); open ones are shared. */
  readonly closed: boolean;
  readonly description: string;
}

/** The sections of Letta's config file. */
export const LETTA_SECTIONS: readonly ConfigSection[] = [
  {
    key: 'letta',
    prefix: LETTA_FILE_SECTIONS.letta,
    closed: true,
    description: 'Letta settings: each key is a LETTA_* variable in lower case, nested at any "_".',
  },
  {
    key: 'model',
    prefix: LETTA_FILE_SECTIONS.model,
    closed: false,
    description:
      'Model and provider settings: each key is a variable in lower case (openai.api_key is OPENAI_API_KEY).',
  },
  {
    key: 'tool',
    prefix: LETTA_FILE_SECTIONS.tool,
    closed: false,
    description: 'Tool settings: each key is a variable in lower case (e2b.api_key is E2B_API_KEY).',
  },
  {
    key: 'datadog',
    prefix: LETTA_FILE_SECTIONS.datadog,
    closed: false,
    description:
      'Datadog settings: each key is a DD_* variable in lower case (git_commit_sha is DD_GIT_COMMIT_SHA).',
  },
];

/**
 * The config-file keys of a setting, the one Letta reads first (`LETTA_DIR` is `letta.dir`,
 * `DD_GIT_COMMIT_SHA` is `datadog.git_commit_sha`, `TELEMETRY_SOCKET` is `tool.telemetry_socket`), then
 * the key of its own name, which this loader also reads.
 */
export function configKeys(field: FieldSpec): readonly string[] {
  return [...new Set([lettaFileKey(field), field.configKey])];
}
