import { spawnSync } from 'node:child_process';

/** A process to time: node's arguments. */
export type Scenario = readonly string[];

/**
 * Runs each scenario's process once to warm the file cache, then `runs` rounds of all of them
 * interleaved (so load on the machine hits every scenario alike), and returns each one's median in ms.
 */
export function timeProcesses(
  scenarios: Readonly<Record<string, Scenario>>,
  options: { readonly runs: number; readonly cwd?: string; readonly env?: NodeJS.ProcessEnv },
): Record<string, number> {
  const run = (args: Scenario) => {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, {
      cwd: options.cwd,
      env: options.env,
      encoding: 'utf8',
    });
    const elapsed = performance.now() - started;
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
    return elapsed;
  };
  const times: Record<string, number[]> = Object.fromEntries(
    Object.keys(scenarios).map((name) => [name, []]),
  );
  for (const args of Object.values(scenarios)) run(args);
  for (let round = 0; round < options.runs; round++) {
    for (const [name, args] of Object.entries(scenarios)) times[name]?.push(run(args));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  return Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
}
