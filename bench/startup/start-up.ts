/**
 * Start-up cost as time added to `node -e 0`, each process in a clean environment (only PATH and an empty
 * HOME, as `env -i` gives: a variable such as NODE_EXTRA_CA_CERTS adds a fixed cost to every Node start),
 * processes interleaved round by round, medians printed. Targets: all four packages imported and the
 * settings loaded at most +100 ms; @letta/settings imported and loaded at most the bare-zod floor;
 * `letta-settings validate` at most +40 ms. envalid is the mark to chase.
 *
 *   pnpm bench:startup            BENCH_RUNS=41 pnpm bench:startup
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeProcesses } from '../settings/time-processes';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const home = mkdtempSync(join(tmpdir(), 'letta-startup-bench-'));
const script = (name: string) => fileURLToPath(new URL(`./processes/${name}`, import.meta.url));
const cli = fileURLToPath(new URL('../../packages/settings/bin/letta-settings.cjs', import.meta.url));

const targets: Record<string, number | undefined> = {
  'all four imported + settings loaded': 100,
  '@letta/settings imported + loaded': undefined,
  'letta-settings validate': 40,
};
const medians = (() => {
  try {
    return timeProcesses(
      {
        'node -e 0': ['-e', '0'],
        'all four imported + settings loaded': [script('all-packages.mjs')],
        '@letta/settings imported + loaded': [script('settings.mjs')],
        'bare zod, 100 fields': [script('bare-zod.mjs')],
        'envalid, 100 fields': [script('envalid.mjs')],
        'letta-settings validate': [cli, 'validate'],
      },
      { runs: RUNS, cwd: home, env: { PATH: process.env.PATH ?? '', HOME: home } },
    );
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
})();

const floor = medians['node -e 0'] ?? 0;
targets['@letta/settings imported + loaded'] = (medians['bare zod, 100 fields'] ?? 0) - floor;
console.log(`start-up in a clean environment, median of ${RUNS} interleaved runs`);
for (const [name, ms] of Object.entries(medians)) {
  const added = ms - floor;
  const target = targets[name];
  const mark =
    target === undefined
      ? ''
      : `  (target <= +${target.toFixed(0)} ms: ${added <= target ? 'met' : 'missed'})`;
  console.log(
    `  ${name.padEnd(38)} ${ms.toFixed(1).padStart(6)} ms  +${added.toFixed(1).padStart(5)} ms${mark}`,
  );
}
