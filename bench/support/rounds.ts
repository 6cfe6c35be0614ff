/** The middle value (the upper one of the two middles for an even count). */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
}

/**
 * Runs one warm-up round of every contender, then `rounds` rounds of all of them in turn, so load from
 * other jobs on the machine hits every contender alike. Returns each contender's results in order.
 */
export async function interleave<T>(
  names: readonly string[],
  rounds: number,
  runRound: (name: string) => Promise<T>,
): Promise<Map<string, T[]>> {
  const results = new Map<string, T[]>(names.map((name) => [name, []]));
  for (const name of names) await runRound(name);
  for (let round = 0; round < rounds; round++) {
    for (const name of names) results.get(name)?.push(await runRound(name));
  }
  return results;
}

/**
 * Each round's ratio of `name` to `baseline`, measured back to back within the round: on a machine whose
 * speed drifts between rounds, their median is steadier than the ratio of the two medians.
 */
export function roundRatios(results: Map<string, number[]>, name: string, baseline: string): number[] {
  const baselines = results.get(baseline) ?? [];
  return (results.get(name) ?? []).map((value, round) => value / (baselines[round] ?? Number.NaN));
}

/** One figure of each contender's rounds (its rate, its CPU time), as `roundRatios` and `median` take them. */
export function eachRound<T>(results: Map<string, T[]>, figure: (round: T) => number): Map<string, number[]> {
  return new Map([...results].map(([name, rounds]) => [name, rounds.map(figure)]));
}

/** `1.00x`-style ratio text. */
export const times = (ratio: number) => `${ratio.toFixed(2)}x`;
