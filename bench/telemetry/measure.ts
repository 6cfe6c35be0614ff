export type Case = [name: string, fn: (i: number) => void];

/**
 * Nanoseconds per call of each case: the cases run in interleaved rounds (A B C, A B C, ...) after a
 * warm-up, and each gets the median of its rounds, so drift on a busy machine hits all of them alike.
 */
export function measure(cases: Case[], iterations = 100_000, rounds = 15): Array<[string, number]> {
  const samples: number[][] = cases.map(() => []);
  const run = (fn: (i: number) => void) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn(i);
    return Number(process.hrtime.bigint() - start) / iterations;
  };
  for (const [, fn] of cases) run(fn);
  for (let round = 0; round < rounds; round++) {
    for (const [index, [, fn]] of cases.entries()) samples[index]?.push(run(fn));
  }
  return cases.map(([name], index) => {
    const sorted = (samples[index] ?? []).sort((a, b) => a - b);
    return [name, sorted[Math.floor(sorted.length / 2)] as number];
  });
}

/** Prints one row per case with its cost and its ratio to the first case (the baseline). */
export function report(title: string, results: Array<[string, number]>): void {
  const baseline = results[0]?.[1] ?? 1;
  console.log(`\n${title}`);
  for (const [name, ns] of results) {
    console.log(`  ${name.padEnd(48)} ${ns.toFixed(1).padStart(8)} ns/call   x${(ns / baseline).toFixed(2)}`);
  }
}
