// `pnpm start`: builds the packages the server needs when their output is missing (a fresh clone), then runs it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const outputs = ['core', 'settings', 'db-pool', 'redis', 'telemetry'].map(
  (name) => new URL(`../../../packages/${name}/dist/index.js`, import.meta.url),
);
outputs.push(new URL('../dist/main.js', import.meta.url));

if (outputs.some((file) => !existsSync(file))) {
  process.stderr.write('Building the reference server and the packages it uses (first run only)...\n');
  // Build output goes to stderr, so stdout carries only what the server prints.
  const build = spawnSync('pnpm', ['--filter', '@letta/reference-server...', 'build'], {
    stdio: ['ignore', 2, 2],
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

await import('../dist/main.js');
