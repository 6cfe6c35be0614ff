import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `check` every `everyMs` until it gives a truthy value, and returns that value. A check that
 * throws counts as not yet. After `withinMs` it throws an error naming `what` (or what `what()` says
 * then, e.g. with a process's latest output), caused by the last error a check threw.
 */
export async function until<T>(
  what: string | (() => string),
  check: () => T | Promise<T>,
  withinMs = 15_000,
  everyMs = 50,
): Promise<Exclude<T, false | null | undefined>> {
  const deadline = performance.now() + withinMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result) return result as Exclude<T, false | null | undefined>;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() > deadline) {
      const described = typeof what === 'string' ? what : what();
      throw new Error(`Waited ${withinMs} ms for ${described}`, { cause: lastError });
    }
    await sleep(everyMs);
  }
}
