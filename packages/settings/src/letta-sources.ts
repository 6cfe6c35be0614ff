import { join } from 'node:path';
import type { LoaderExtensions } from './settings-sources';

const FOREIGN_NAMES = new Set([
  'LETTA_CONFIG_PATH',
  'LETTA_SERVER_PASSWORD',
  'LETTA_SERVER_SECURE',
  'LETTA_VERSION',
]);
const FOREIGN_PREFIXES = ['LETTA_TEST_', 'LETTA_SUMMARIZER_', 'LETTA_READINESS_'];

/** What Letta's test settings read beyond `defineSettings`: Letta's config-file sections and search path. */
export const lettaTestExtensions: LoaderExtensions = {
  sections: { letta: 'LETTA', model: '', tool: '', datadog: 'DD' },
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
  isForeign: (name) => FOREIGN_NAMES.has(name) || FOREIGN_PREFIXES.some((prefix) => name.startsWith(prefix)),
};
