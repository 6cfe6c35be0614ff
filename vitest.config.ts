import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const packages = readdirSync(`${root}packages`);

// Tests import each package by its public name; in-process they run against the sources.
const packageAliases = packages.map((name) => ({
  find: new RegExp(`^@letta/${name}$`),
  replacement: `${root}packages/${name}/src/index.ts`,
}));

export default defineConfig({
  resolve: {
    alias: [
      ...packageAliases,
      { find: /^@letta\/settings\/crypto$/, replacement: `${root}packages/settings/src/crypto/index.ts` },
      { find: /^@test\/support$/, replacement: `${root}test/support/index.ts` },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
