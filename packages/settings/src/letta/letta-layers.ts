import { join } from 'node:path';
import type { LoaderExtensions } from '../loader/read-layers';
import { LETTA_FILE_SECTIONS, lettaIgnoredKey } from './letta-file-keys';

/**
 * `LETTA_*` names that Letta reads outside these settings: the server's other settings classes, and the
 * variables of Letta's clients (the SDKs, Letta Code). They are never reported as unknown, in the
 * environment or in a config file, and the JSON Schema accepts them under `letta:`.
 */
export const LETTA_FOREIGN = {
  names: [
    'LETTA_CONFIG_PATH',
    'LETTA_SERVER_PASSWORD',
    'LETTA_SERVER_SECURE',
    'LETTA_VERSION',
    'LETTA_API_KEY',
    'LETTA_TOKEN',
    'LETTA_BASE_URL',
    'LETTA_SERVER_URL',
    'LETTA_API_URL',
    'LETTA_PROJECT',
    'LETTA_PROJECT_ID',
    'LETTA_AGENT_ID',
  ],
  prefixes: ['LETTA_TEST_'],
} as const;

const FOREIGN_NAMES: ReadonlySet<string> = new Set(LETTA_FOREIGN.names);

/** What Letta's test settings read beyond `defineSettings`: Letta's config-file sections and search path. */
export const lettaTestExtensions: LoaderExtensions = {
  sections: LETTA_FILE_SECTIONS,
  configSearch: ({ cwd, home, variable }) => {
    const configPath = variable('LETTA_CONFIG_PATH');
    return [
      ...(configPath ? [{ path: configPath, required: true, via: 'LETTA_CONFIG_PATH' }] : []),
      { path: join(cwd, 'conf.yaml'), required: false, via: 'conf.yaml' },
      { path: join(home, '.letta', 'conf.yaml'), required: false, via: '~/.letta/conf.yaml' },
    ];
  },
};

/** The same for Letta's settings, which also leave alone the `LETTA_*` variables of Letta's other settings. */
export const lettaExtensions: LoaderExtensions = {
  ...lettaTestExtensions,
  ignoredFileKey: (key, name, field) => lettaIgnoredKey(key, name, field),
  isForeign: (name) =>
    FOREIGN_NAMES.has(name) || LETTA_FOREIGN.prefixes.some((prefix) => name.startsWith(prefix)),
};
