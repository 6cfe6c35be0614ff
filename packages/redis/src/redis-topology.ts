import { type ConfigIssue, checkRedisTopology, type RedisTopologyProblem } from '@letta/core';
import {
  checkHost,
  checkInteger,
  invalid,
  issueAt,
  LETTA_OPTION,
  labelOf,
  type OptionName,
} from './option-checks';
import { RedisOptionsError } from './redis-errors';
import type { RedisAddress, RedisOptions } from './redis-options';
import { parseRedisUrl, type RedisUrlParts } from './redis-url';

/** What a topology is called in messages and logs, worked out once. */
interface TopologyLabels {
  /** Where the data lives, for error messages: `127.0.0.1:6379`, `the primary of "main" (Sentinels …)`. */
  readonly where: string;
  /** The environment variables that configure it, for "fix …" advice. */
  readonly envVars: string;
  /** Log fields that say which Redis a line is about; never a password. */
  readonly logFields: Readonly<Record<string, string | number>>;
}

/** Where the client's data lives: one server, the primary that Sentinels name, or a cluster. */
export type RedisTopology = TopologyLabels &
  (
    | { readonly kind: 'standalone'; readonly host: string; readonly port: number }
    | { readonly kind: 'sentinel'; readonly sentinels: readonly RedisAddress[]; readonly name: string }
    | { readonly kind: 'cluster'; readonly nodes: readonly RedisAddress[] }
  );

/** The options that choose a topology; at most one of host, url, sentinels and clusterNodes is set. */
type TopologyOptions = Pick<
  RedisOptions,
  'host' | 'port' | 'url' | 'sentinels' | 'sentinelName' | 'clusterNodes'
>;

/**
 * The topology the options describe, or `null` when none is configured (the no-op client), plus the
 * URL's other parts when it came from a URL. Throws a `RedisOptionsError` for conflicting or invalid
 * options; a URL's text never appears in one, since it may hold a password.
 */
export function resolveTopology(options: TopologyOptions): {
  topology: RedisTopology | null;
  url: RedisUrlParts | null;
} {
  const { choice, problems } = checkRedisTopology(options);
  if (problems.length > 0) throw new RedisOptionsError(problems.map(topologyIssue));
  if (options.port !== undefined && options.port !== null) {
    checkInteger(LETTA_OPTION.port, options.port, 1, 65_535);
  }
  switch (choice) {
    case 'host':
      return { topology: standalone(options.host, options.port), url: null };
    case 'url': {
      const { host, port, ...url } = parseRedisUrl(options.url as NonNullable<RedisOptions['url']>);
      return { topology: server(host, port, 'LETTA_REDIS_URL'), url };
    }
    case 'sentinels':
      return {
        topology: sentinel(options.sentinels as readonly RedisAddress[], options.sentinelName ?? null),
        url: null,
      };
    case 'clusterNodes':
      return { topology: cluster(options.clusterNodes as readonly RedisAddress[]), url: null };
    default:
      return { topology: null, url: null };
  }
}

/** A broken topology rule, worded for the options passed to `createRedisClient`. */
function topologyIssue(problem: RedisTopologyProblem): ConfigIssue {
  const { sentinelName, sentinels } = LETTA_OPTION;
  switch (problem.rule) {
    case 'one-topology':
      return issueAt(
        LETTA_OPTION[problem.field],
        `Redis options ${labelOf(LETTA_OPTION[problem.conflictsWith])} and ${labelOf(LETTA_OPTION[problem.field])} ` +
          'are both set, but a client connects to one topology: a host, a URL, Sentinels or cluster nodes. ' +
          'Keep one of them and unset the other.',
      );
    case 'sentinel-name-required':
      return issueAt(
        sentinelName,
        `Redis option ${labelOf(sentinelName)} must be the name of the master group the Sentinels monitor, ` +
          `but found null. Set it whenever ${labelOf(sentinels)} is set.`,
      );
    case 'sentinel-name-only-with-sentinels':
      return issueAt(
        sentinelName,
        `Redis option ${labelOf(sentinelName)} is only used with ${labelOf(sentinels)}, but no Sentinels ` +
          'are set. Set the Sentinel addresses, or unset sentinelName.',
      );
  }
}

function standalone(host: unknown, port: number | null | undefined): RedisTopology | null {
  checkHost(LETTA_OPTION.host, host);
  // Letta treats a host without a port as "no Redis".
  if (port === null) return null;
  return server(host as string, port ?? 6379, 'LETTA_REDIS_HOST/LETTA_REDIS_PORT');
}

function server(host: string, port: number, envVars: string): RedisTopology {
  return {
    kind: 'standalone',
    host,
    port,
    where: address({ host, port }),
    envVars,
    logFields: { host, port },
  };
}

function sentinel(sentinels: readonly RedisAddress[], name: string | null): RedisTopology {
  if (name === null || name.trim() === '') {
    invalid(LETTA_OPTION.sentinelName, 'the name of the master group the Sentinels monitor', name);
  }
  const list = addresses(LETTA_OPTION.sentinels, sentinels);
  const text = list.map(address).join(', ');
  return {
    kind: 'sentinel',
    sentinels: list,
    name,
    where: `the primary of "${name}" (Sentinels ${text})`,
    envVars: 'LETTA_REDIS_SENTINELS/LETTA_REDIS_SENTINEL_NAME',
    logFields: { sentinelName: name, sentinels: text },
  };
}

function cluster(nodes: readonly RedisAddress[]): RedisTopology {
  const list = addresses(LETTA_OPTION.clusterNodes, nodes);
  const text = list.map(address).join(', ');
  return {
    kind: 'cluster',
    nodes: list,
    where: `the cluster at ${text}`,
    envVars: 'LETTA_REDIS_CLUSTER_NODES',
    logFields: { clusterNodes: text },
  };
}

function addresses(option: OptionName, list: readonly RedisAddress[]): RedisAddress[] {
  return list.map((item, index) => {
    const { host, port } = (item ?? {}) as Partial<RedisAddress>;
    const field = (part: string): OptionName => ({
      path: `${option.path}[${index}].${part}`,
      envVar: option.envVar,
      label: `${labelOf(option)} item ${index + 1} ${part}`,
    });
    checkHost(field('host'), host);
    checkInteger(field('port'), port, 1, 65_535);
    return { host: host as string, port: port as number };
  });
}

/** `host:port`, with an IPv6 address in brackets. */
function address({ host, port }: RedisAddress): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
