// Cold start: a process that imports @letta/settings (dist) and loads ~40 env vars plus a conf.yaml,
// against a process that parses the same fields from the same inputs with bare zod and yaml.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchEnv, createFixture } from './fixture';
import { timeProcesses } from './time-processes';

const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const dir = createFixture();
const env = { PATH: process.env.PATH ?? '', HOME: dir, BENCH_DIR: dir, ...benchEnv };
const script = (name: string) => fileURLToPath(new URL(`./processes/${name}`, import.meta.url));

const medians = timeProcesses(
  {
    'node (empty)': ['-e', ''],
    'bare zod + yaml': [script('bare-zod.mjs')],
    '@letta/settings': [script('letta-settings.mjs')],
  },
  { runs: RUNS, env },
);
rmSync(dir, { recursive: true, force: true });

for (const [name, median] of Object.entries(medians))
  console.log(`${name.padEnd(18)} ${median.toFixed(1)} ms median of ${RUNS}`);
const ratio = (medians['@letta/settings'] ?? 0) / (medians['bare zod + yaml'] ?? 1);
console.log(`cold start ratio @letta/settings / bare zod: ${ratio.toFixed(2)}x (target <= 1.30x)`);
