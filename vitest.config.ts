import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const packages = readdirSync(`${root}packages`);

// Tests import each package by its public name; in-process they run against the sources.
const packageAliases = packages.map((name) => ({
  find: new RegExp(`^@letta/${name}$`),
  replacement: `${root}packages/${name}/src/index.ts`,
}));

// `.ci/newest-peers.sh` installs the newest peers (OpenTelemetry SDK 3, kysely 0.29, better-sqlite3 13)
// elsewhere and names the directory here; the packages then load those instead of the workspace's.
const peers = process.env.LETTA_TEST_PEERS;
const peerAliases = peers
  ? [/^(@opentelemetry\/[^/]+)(\/.*)?$/, /^(kysely)(\/.*)?$/, /^(better-sqlite3)(\/.*)?$/].map((find) => ({
      find,
      replacement: `${peers}/$1$2`,
    }))
  : [];

export default defineConfig({
  resolve: {
    alias: [
      ...packageAliases,
      ...peerAliases,
      { find: /^@letta\/settings\/crypto$/, replacement: `${root}packages/settings/src/crypto/index.ts` },
      { find: /^@test\/support$/, replacement: `${root}test/support/index.ts` },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Most test files spend their time waiting on servers they start, so two run at once even on two
    // cores (vitest's default there is one): the whole suite in about 6 minutes instead of 10.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
