import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `check` every 50 ms until it holds; throws naming `what` after `withinMs`. */
export async function until(what: string, check: () => Promise<boolean>, withinMs = 15_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${withinMs} ms`);
    await sleep(50);
  }
}
