import { lettaEnvExample, lettaJsonSchema, lettaReferenceDocs } from '../src/cli/generate-commands';
import { lettaSettingsModel, lettaTestSettingsModel } from '../src/letta/letta-models';
import { toFieldTable } from '../src/loader/field-table';

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
    path: 'packages/settings/src/letta/letta-field-table.json',
    render: () => `${JSON.stringify(toFieldTable(lettaSettingsModel()), null, 2)}\n`,
    compare: 'json',
  },
  {
    path: 'packages/settings/src/letta/letta-test-field-table.json',
    render: () => `${JSON.stringify(toFieldTable(lettaTestSettingsModel()), null, 2)}\n`,
    compare: 'json',
  },
];
