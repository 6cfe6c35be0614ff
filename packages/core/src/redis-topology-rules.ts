/** The four ways to say where Redis is, in the order they are checked. A client connects to one. */
export const REDIS_TOPOLOGY_CHOICES = ['host', 'url', 'sentinels', 'clusterNodes'] as const;

export type RedisTopologyChoice = (typeof REDIS_TOPOLOGY_CHOICES)[number];

/**
 * The fields that choose a Redis topology, by their option names. A field counts as set unless it is
 * `undefined`, `null` or an empty list; its value is not checked here.
 */
export type RedisTopologyFields = Partial<Record<RedisTopologyChoice | 'sentinelName', unknown>>;

/** A broken topology rule, named by the field to fix; each caller words it in its own terms. */
export type RedisTopologyProblem =
  /** `field` is set as well as `conflictsWith`, the first topology set. */
  | {
      readonly rule: 'one-topology';
      readonly field: RedisTopologyChoice;
      readonly conflictsWith: RedisTopologyChoice;
    }
  /** Sentinels are set without the name of the master group they monitor. */
  | { readonly rule: 'sentinel-name-required'; readonly field: 'sentinels' }
  /** A Sentinel master-group name is set, but no Sentinels. */
  | { readonly rule: 'sentinel-name-only-with-sentinels'; readonly field: 'sentinelName' };

export interface RedisTopologyCheck {
  /** The first topology set, or `null` when none is (no Redis: the no-op client). */
  readonly choice: RedisTopologyChoice | null;
  /** Every rule the fields break; empty when they describe one usable topology or none. */
  readonly problems: readonly RedisTopologyProblem[];
}

/**
 * Letta's Redis topology rules, applied alike by the settings loader and by `@letta/redis`: at most one
 * of a host, a URL, Sentinels or cluster nodes; a Sentinel master-group name with Sentinels, and only
 * with them.
 */
export function checkRedisTopology(fields: RedisTopologyFields): RedisTopologyCheck {
  const chosen = REDIS_TOPOLOGY_CHOICES.filter((choice) => isSet(fields[choice]));
  const [first, second] = chosen;
  const problems: RedisTopologyProblem[] = [];
  if (first !== undefined && second !== undefined) {
    problems.push({ rule: 'one-topology', field: second, conflictsWith: first });
  }
  const hasSentinels = chosen.includes('sentinels');
  const hasName = isSet(fields.sentinelName);
  if (hasSentinels && !hasName) problems.push({ rule: 'sentinel-name-required', field: 'sentinels' });
  if (!hasSentinels && hasName) {
    problems.push({ rule: 'sentinel-name-only-with-sentinels', field: 'sentinelName' });
  }
  return { choice: first ?? null, problems };
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}
