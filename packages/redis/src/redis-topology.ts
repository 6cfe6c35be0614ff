import { checkHost, checkInteger, invalid } from './option-checks';
import { RedisOptionsError } from './redis-errors';
import type { RedisOptions, SecretLike } from './redis-options';

/** The address of a Redis server, a Sentinel or a cluster node. */
export interface RedisAddress {
  host: string;
  port: number;
}

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

/** What a `redis://` or `rediss://` URL says besides the address. */
export interface UrlParts {
  username: string | null;
  password: string | null;
  db: number | null;
  tls: boolean;
}

const CHOICES = [
  ['host', 'host (LETTA_REDIS_HOST)'],
  ['url', 'url (LETTA_REDIS_URL)'],
  ['sentinels', 'sentinels (LETTA_REDIS_SENTINELS)'],
  ['clusterNodes', 'clusterNodes (LETTA_REDIS_CLUSTER_NODES)'],
] as const;

/**
 * The topology the options describe, or `null` when none is configured (the no-op client), plus the
 * URL's other parts when it came from a URL. Throws a `RedisOptionsError` for conflicting or invalid
 * options; a URL's text never appears in one, since it may hold a password.
 */
export function resolveTopology(options: TopologyOptions): {
  topology: RedisTopology | null;
  url: UrlParts | null;
} {
  const chosen = CHOICES.filter(([name]) => isSet(options[name]));
  const [first, second] = chosen;
  if (first && second) {
    throw new RedisOptionsError(
      `Redis options ${first[1]} and ${second[1]} are both set, but a client connects to one topology: a ` +
        'host, a URL, Sentinels or cluster nodes. Keep one of them and unset the other.',
    );
  }
  const sentinelName = options.sentinelName ?? null;
  if (sentinelName !== null && first?.[0] !== 'sentinels') {
    throw new RedisOptionsError(
      'Redis option sentinelName (LETTA_REDIS_SENTINEL_NAME) is only used with sentinels ' +
        '(LETTA_REDIS_SENTINELS), but no Sentinels are set. Set the Sentinel addresses, or unset sentinelName.',
    );
  }
  if (options.port !== undefined && options.port !== null) {
    checkInteger('port (LETTA_REDIS_PORT)', options.port, 1, 65_535);
  }
  switch (first?.[0]) {
    case 'host':
      return { topology: standalone(options.host, options.port), url: null };
    case 'url': {
      const { host, port, ...url } = parseRedisUrl(options.url as string | SecretLike);
      return { topology: server(host, port, 'LETTA_REDIS_URL'), url };
    }
    case 'sentinels':
      return { topology: sentinel(options.sentinels as readonly RedisAddress[], sentinelName), url: null };
    case 'clusterNodes':
      return { topology: cluster(options.clusterNodes as readonly RedisAddress[]), url: null };
    default:
      return { topology: null, url: null };
  }
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

function standalone(host: unknown, port: number | null | undefined): RedisTopology | null {
  checkHost('host (LETTA_REDIS_HOST)', host);
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
    invalid(
      'sentinelName (LETTA_REDIS_SENTINEL_NAME)',
      'the name of the master group the Sentinels monitor',
      name,
    );
  }
  const list = addresses('sentinels (LETTA_REDIS_SENTINELS)', sentinels);
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
  const list = addresses('clusterNodes (LETTA_REDIS_CLUSTER_NODES)', nodes);
  const text = list.map(address).join(', ');
  return {
    kind: 'cluster',
    nodes: list,
    where: `the cluster at ${text}`,
    envVars: 'LETTA_REDIS_CLUSTER_NODES',
    logFields: { clusterNodes: text },
  };
}

function addresses(name: string, list: readonly RedisAddress[]): RedisAddress[] {
  return list.map((item, index) => {
    const { host, port } = (item ?? {}) as Partial<RedisAddress>;
    checkHost(`${name} item ${index + 1} host`, host);
    checkInteger(`${name} item ${index + 1} port`, port, 1, 65_535);
    return { host: host as string, port: port as number };
  });
}

/** `host:port`, with an IPv6 address in brackets. */
function address({ host, port }: RedisAddress): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function parseRedisUrl(value: string | SecretLike): RedisAddress & UrlParts {
  let url: URL;
  try {
    url = new URL(typeof value === 'string' ? value : value.reveal());
  } catch {
    throw urlError('could not be parsed');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw urlError(`has the scheme ${url.protocol}`);
  if (url.hostname === '') throw urlError('has no host');
  if (url.search !== '' || url.hash !== '') {
    throw urlError('has query parameters or a fragment, which are not read (pass them as options instead)');
  }
  const path = url.pathname;
  if (path !== '' && path !== '/' && !/^\/\d+$/.test(path)) {
    throw urlError('has a path that is not a database number such as /0');
  }
  const decode = (part: string) => {
    try {
      return part === '' ? null : decodeURIComponent(part);
    } catch {
      throw urlError('has a user name or password that is not valid percent-encoding');
    }
  };
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? 6379 : Number(url.port),
    username: decode(url.username),
    password: decode(url.password),
    db: path.length > 1 ? Number(path.slice(1)) : null,
    tls: url.protocol === 'rediss:',
  };
}

function urlError(problem: string): RedisOptionsError {
  return new RedisOptionsError(
    'Redis option url (LETTA_REDIS_URL) must be a redis:// or rediss:// URL such as ' +
      `redis://user:password@host:6379/0, but it ${problem} (the URL is not shown: it may hold a password). ` +
      'Fix the URL.',
  );
}
