import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '@letta/redis';

/** Serialises writes for one agent: `run` calls `fn` only while no other writer holds the agent. */
export interface AgentWriteLock {
  readonly kind: 'redis' | 'in-process';
  run<T>(agentId: string, fn: () => Promise<T>): Promise<T>;
  /** Whether a lock can be taken now: false while the Redis holding the locks does not answer. */
  available(): Promise<boolean>;
}

/** The agent stayed locked by another writer for longer than the caller is willing to wait. */
export class AgentBusyError extends Error {
  constructor(agentId: string, waitedMs: number) {
    super(
      `Agent ${agentId} is busy: another write held its lock for more than ${waitedMs} ms. Retry the request.`,
    );
    this.name = 'AgentBusyError';
  }
}

/**
 * A promise chain per agent: each writer waits for the previous one. Enough for one process; the
 * chain entry is dropped when the last writer finishes, so idle agents cost nothing.
 */
export function inProcessAgentLock(): AgentWriteLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    kind: 'in-process',
    available: async () => true,
    async run(agentId, fn) {
      const previous = tails.get(agentId) ?? Promise.resolve();
      const result = previous.then(fn, fn);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(agentId, tail);
      try {
        return await result;
      } finally {
        if (tails.get(agentId) === tail) tails.delete(agentId);
      }
    },
  };
}

export interface RedisAgentLockOptions {
  /** How long a held lock lives if its holder dies without releasing it. */
  ttlMs: number;
  /** How long a writer waits for the lock before `AgentBusyError`. */
  waitMs: number;
  /**
   * Called when releasing the lock fails after the write finished (Redis went away): the write stands
   * and the lock expires after `ttlMs`, so this is logged and counted, never the caller's error.
   */
  onReleaseFailed(agentId: string, error: unknown): void;
}

/**
 * A Redis lock per agent (`agent:write:<id>`), so writers on every instance take turns. Writers in
 * this process queue in-process first, so only one of them polls Redis at a time.
 */
export function redisAgentLock(redis: RedisClient, options: RedisAgentLockOptions): AgentWriteLock {
  const local = inProcessAgentLock();
  const acquire = async (agentId: string) => {
    const deadline = performance.now() + options.waitMs;
    for (let delayMs = 5; ; delayMs = Math.min(delayMs * 2, 100)) {
      const lock = await redis.acquireLock(`agent:write:${agentId}`, { ttlMs: options.ttlMs });
      if (lock) return lock;
      if (performance.now() + delayMs > deadline) throw new AgentBusyError(agentId, options.waitMs);
      await sleep(delayMs);
    }
  };
  return {
    kind: 'redis',
    available: () => redis.ping(),
    run(agentId, fn) {
      return local.run(agentId, async () => {
        const lock = await acquire(agentId);
        try {
          return await fn();
        } finally {
          await lock.release().catch((error: unknown) => options.onReleaseFailed(agentId, error));
        }
      });
    },
  };
}
