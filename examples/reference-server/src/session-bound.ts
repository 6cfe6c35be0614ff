import type { ConnectionBudget } from '@letta/db-pool';

/**
 * The concurrent-session bound for an engine whose pool has none (Letta's default no-pool mode
 * without LETTA_DB_MAX_CONCURRENT_SESSIONS): this instance's share of the connections the server has
 * free. Without it, a burst of requests opens a connection each until PostgreSQL refuses with 53300.
 * `null` when the pool is bounded already, on SQLite, or through a pooler (whose limits this cannot see).
 */
export function defaultSessionBound(budget: ConnectionBudget | null): number | null {
  if (budget === null || budget.throughPooler || Number.isFinite(budget.perInstance)) return null;
  return Math.max(1, Math.floor(budget.available / budget.instances));
}
