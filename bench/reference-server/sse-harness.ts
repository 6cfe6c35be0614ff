/** The value below which `p` percent of `values` fall (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** The server environment for the benchmark Redis (`LETTA_TEST_REDIS_URL`). */
export function redisEnv(): Record<string, string> {
  const url = new URL(process.env.LETTA_TEST_REDIS_URL || 'redis://127.0.0.1:6379');
  return { LETTA_REDIS_HOST: url.hostname, LETTA_REDIS_PORT: url.port || '6379' };
}
