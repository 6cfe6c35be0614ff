import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Gives a server under load a CPU of its own: pins this process (the load generator) to every CPU but
 * the last and returns the last, for `taskset -c <cpu>` to start the server on. On a small machine the
 * scheduler otherwise moves both between CPUs from one round to the next, and the same server's rate
 * varies by half. `null` (nothing pinned) off Linux, without `taskset`, or on one CPU.
 */
export function reserveServerCpu(): number | null {
  const cpus = availableParallelism();
  if (process.platform !== 'linux' || cpus < 2) return null;
  const last = cpus - 1;
  const pinned = spawnSync('taskset', ['-apc', `0-${last - 1}`, String(process.pid)], { stdio: 'ignore' });
  return pinned.status === 0 ? last : null;
}
