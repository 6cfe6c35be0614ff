import type { AgentWriteLock } from './agent-write-lock';
import type { ReadinessGates } from './readiness-gates';

/**
 * The agent write lock, reporting to the readiness gates: each write is a foreground run in flight
 * from the moment it asks for the lock, and the time it waited for the lock is its admission wait.
 */
export function gatedAgentLock(lock: AgentWriteLock, gates: ReadinessGates): AgentWriteLock {
  return {
    kind: lock.kind,
    available: () => lock.available(),
    async run(agentId, fn) {
      const end = gates.runStarted('foreground');
      const asked = performance.now();
      try {
        return await lock.run(agentId, () => {
          gates.admissionWaited(performance.now() - asked);
          return fn();
        });
      } finally {
        end();
      }
    },
  };
}
