import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

/** The build every package shares: ESM + CJS + declarations for each entry, targeting Node 20. */
export function packageBuild(entry: Record<string, string>, overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    // tsup hands the declaration build the merged compiler options without the location of the file
    // that set `paths`; anchoring them at the root keeps `@letta/*` resolving to sources, not to a
    // `dist/` that a clean build has not written yet.
    dts: { compilerOptions: { baseUrl: repositoryRoot } },
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    ...overrides,
  });
}

/**
 * For packages that load a dependency on first use with `import()`: the CommonJS build `require`s it, so
 * that a CommonJS program gets the same copy of a dual package (such as Kysely) as it would have eagerly.
 */
export const requireLazyImportsInCjs: Options['esbuildOptions'] = (options, { format }) => {
  if (format === 'cjs') options.supported = { ...options.supported, 'dynamic-import': false };
};
