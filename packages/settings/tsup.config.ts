import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tooling/tsup';

// yaml's ES module build (published as its browser build: the same code without Node's require).
const yamlModules = join(
  dirname(createRequire(import.meta.url).resolve('yaml/package.json')),
  'browser/index.js',
);

export default [
  // The crypto entry imports the main one by name, so both share one copy of `Secret` and the settings.
  packageBuild(
    { index: 'src/index.ts', crypto: 'src/crypto/index.ts' },
    // shims: the CommonJS build gets `import.meta.url`, which loads yaml on demand.
    { clean: ['!cli/**'], external: ['@letta/settings'], shims: true },
  ),
  defineConfig({
    // The bin: one CommonJS file, which Node loads faster than ES modules. Commands are imported
    // lazily, so the code of one runs only when it is called, and `validate` never loads zod.
    entry: { 'letta-settings': 'src/cli/letta-settings.ts' },
    outDir: 'dist/cli',
    format: ['cjs'],
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    clean: ['letta-settings.*'],
    external: ['yaml'],
    shims: true,
  }),
  defineConfig({
    // yaml beside the bin, bundled from its ES module build into one file: its own many CommonJS files
    // take longer to load than the rest of `validate`. The bin loads it with the first YAML file.
    entry: { yaml: yamlModules },
    outDir: 'dist/cli',
    format: ['cjs'],
    target: 'node20',
    platform: 'node',
    clean: ['yaml.*'],
    esbuildOptions: (options) => {
      options.legalComments = 'inline';
    },
    banner: {
      js: '/*! yaml (https://github.com/eemeli/yaml), Copyright Eemeli Aro <eemeli@gmail.com>, ISC License: Permission to use, copy, modify, and/or distribute this software for any purpose with or without fee is hereby granted, provided that the above copyright notice and this permission notice appear in all copies. THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH REGARD TO THIS SOFTWARE. */',
    },
  }),
];
