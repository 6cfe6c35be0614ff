// Runs a TypeScript benchmark with plain Node, so that the packages it measures run as a service runs
// them. tsx would compile their built files again on load and wrap every closure to keep its name, which
// costs a call per closure created (8 % of a Redis GET). esbuild bundles the benchmark's own files next to
// it (so `import.meta.url` still points into its folder) and leaves every package external.
//
//   node bench/run.mjs bench/redis/get-set-telemetry.ts [args...]
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { build } from 'esbuild';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node bench/run.mjs <benchmark.ts> [args...]');
  process.exit(2);
}
const bundle = join(dirname(entry), `.${basename(entry, '.ts')}.bundle.mjs`);
await build({
  entryPoints: [entry],
  outfile: bundle,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Packages resolve to their built files, as in a service, not to the sources tsconfig's paths name.
  tsconfigRaw: {},
  logLevel: 'warning',
});
try {
  const { status, signal } = spawnSync(process.execPath, [bundle, ...args], { stdio: 'inherit' });
  process.exitCode = status ?? (signal ? 1 : 0);
} finally {
  rmSync(bundle, { force: true });
}
