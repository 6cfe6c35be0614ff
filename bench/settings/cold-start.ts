// Cold start: a process that imports @letta/settings (dist) and loads ~40 env vars plus a conf.yaml,
// against a process that parses the same fields from the same inputs with bare zod and yaml.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchEnv, createFixture } from './fixture';

const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const dir = createFixture();
const env = { PATH: process.env.PATH ?? '', HOME: dir, BENCH_DIR: dir, ...benchEnv };
const script = (name: string) => fileURLToPath(new URL(`./processes/${name}`, import.meta.url));

function run(args: readonly string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stderr}`);
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const scenarios = {
  'node (empty)': ['-e', ''],
  'bare zod + yaml': [script('bare-zod.mjs')],
  '@letta/settings': [script('letta-settings.mjs')],
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(scenarios).map((name) => [name, []]));
for (const args of Object.values(scenarios)) run(args);
for (let round = 0; round < RUNS; round++) {
  for (const [name, args] of Object.entries(scenarios)) times[name]?.push(run(args));
}
rmSync(dir, { recursive: true, force: true });

for (const [name, values] of Object.entries(times))
  console.log(`${name.padEnd(18)} ${median(values).toFixed(1)} ms median of ${RUNS}`);
const ratio = median(times['@letta/settings'] ?? []) / median(times['bare zod + yaml'] ?? []);
console.log(`cold start ratio @letta/settings / bare zod: ${ratio.toFixed(2)}x (target <= 1.30x)`);
