import { toFieldTable } from '../src/cli/field-table';
import { lettaEnvExample, lettaJsonSchema, lettaReferenceDocs } from '../src/cli/generate-commands';
import { lettaSettingsModel } from '../src/letta/letta-settings';

/** A committed file generated from the settings schema; `compare: 'json'` ignores formatting. */
export interface GeneratedFile {
  /** Path from the repository root. */
  readonly path: string;
  readonly render: () => string;
  readonly compare: 'text' | 'json';
}

export const GENERATED_FILES: readonly GeneratedFile[] = [
  { path: 'packages/settings/schema.json', render: lettaJsonSchema, compare: 'text' },
  { path: 'docs/configuration.md', render: lettaReferenceDocs, compare: 'text' },
  { path: 'packages/settings/.env.example', render: lettaEnvExample, compare: 'text' },
  {
    path: 'packages/settings/src/cli/letta-field-table.json',
    render: () => `${JSON.stringify(toFieldTable(lettaSettingsModel()), null, 2)}\n`,
    compare: 'json',
  },
];
