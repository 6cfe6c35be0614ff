import { isAbsolute, resolve } from 'node:path';
import { checkRedisTopology, type RedisTopologyChoice, type RedisTopologyProblem, Secret } from '@letta/core';
import type { LoadOptions } from '../loader/load-options';
import { commaList } from '../loader/parse-value';
import type { LoaderExtensions } from '../loader/read-layers';
import { type Resolution, resolveSettings } from '../loader/resolve-settings';
import type { SettingsModel } from '../loader/settings-model';
import { issueAt, type ValueOrigin } from '../loader/value-origin';
import { checkDatabaseUris } from './database-uris';

const DEFAULT_PG_URI = 'postgresql://letta:letta@localhost:5432/letta';

type Values = Record<string, unknown>;

/** A plugin entry of `LETTA_PLUGIN_REGISTER`: `name=module:attr` becomes `{ name: { target: 'module:attr' } }`. */
export interface PluginRegistration {
  readonly target: string;
}

function originOf(resolution: Resolution, path: string): ValueOrigin {
  return resolution.origins.get(path) ?? { source: 'default', envVar: path };
}

/** How the operator set a value: the env var, the config key and its place, or the override. */
function nameOf(resolution: Resolution, path: string): string {
  const origin = originOf(resolution, path);
  if (origin.source === 'file') return `${origin.key} (${origin.file}:${origin.line})`;
  if (origin.source === 'override') return `overrides.${origin.key}`;
  return origin.envVar;
}

function expandPath(path: string, resolution: Resolution): string {
  const expanded = path.replace(/^~(?=$|[/\\])/, resolution.layers.home);
  return isAbsolute(expanded) ? expanded : resolve(resolution.layers.cwd, expanded);
}

function revealed(value: unknown): string | undefined {
  const text = value instanceof Secret ? value.reveal() : undefined;
  return text === '' ? undefined : text;
}

/** Letta's `letta_pg_uri_no_default`, with its parts URL-encoded and an IPv6 host bracketed. */
function composePgUri(values: Values): string | undefined {
  const uri = revealed(values.pgUri);
  if (uri !== undefined) return uri;
  const password = revealed(values.pgPassword);
  const { pgDb, pgUser, pgHost, pgPort } = values as Record<string, string | number | null>;
  if (!pgDb || !pgUser || !password || !pgHost || !pgPort) return undefined;
  const host = String(pgHost).includes(':') && !String(pgHost).startsWith('[') ? `[${pgHost}]` : pgHost;
  const user = encodeURIComponent(String(pgUser));
  return `postgresql://${user}:${encodeURIComponent(password)}@${host}:${pgPort}/${encodeURIComponent(String(pgDb))}`;
}

function parsePluginRegister(text: string): Record<string, PluginRegistration> | undefined {
  const plugins: Record<string, PluginRegistration> = {};
  for (const item of text.split(';')) {
    const parts = item.split('=');
    const name = parts[0]?.trim() ?? '';
    const target = parts[1]?.trim() ?? '';
    if (parts.length !== 2 || name === '' || target === '') return undefined;
    plugins[name] = { target };
  }
  return plugins;
}

const REDIS_SETTING: Record<RedisTopologyChoice | 'sentinelName', string> = {
  host: 'redisHost',
  url: 'redisUrl',
  sentinels: 'redisSentinels',
  clusterNodes: 'redisClusterNodes',
  sentinelName: 'redisSentinelName',
};

/** Applies the Redis topology rules of `@letta/core`, with each problem located where it was set. */
function checkRedisTopologySettings(resolution: Resolution, prefix: string): void {
  const { values, issues } = resolution;
  const { problems } = checkRedisTopology({
    host: values.redisHost,
    url: values.redisUrl,
    sentinels: values.redisSentinels,
    clusterNodes: values.redisClusterNodes,
    sentinelName: values.redisSentinelName,
  });
  for (const problem of problems) {
    const path = REDIS_SETTING[problem.field];
    issues.push(issueAt(path, originOf(resolution, path), redisTopologyProblem(problem, resolution, prefix)));
  }
}

function redisTopologyProblem(problem: RedisTopologyProblem, resolution: Resolution, prefix: string): string {
  switch (problem.rule) {
    case 'one-topology':
      return `conflicts with ${nameOf(resolution, REDIS_SETTING[problem.conflictsWith])}; configure one Redis topology (host, URL, Sentinels or cluster nodes) and unset the other`;
    case 'sentinel-name-required':
      return `needs ${prefix}REDIS_SENTINEL_NAME, the name of the master group the Sentinels monitor`;
    case 'sentinel-name-only-with-sentinels':
      return `is only used with ${prefix}REDIS_SENTINELS; set the Sentinel addresses or unset it`;
  }
}

/**
 * Adds what Letta computes from the server fields (paths, CORS, Postgres URIs, plugins) and checks the
 * Redis topology. `prefix` is `LETTA_` or `LETTA_TEST_`, for the names in messages.
 */
export function deriveServerSettings(resolution: Resolution, prefix: string): void {
  const { values, origins } = resolution;
  values.lettaDir = expandPath(String(values.lettaDir), resolution);

  const acceptable = resolution.layers.variable(['ACCEPTABLE_ORIGINS']);
  if (acceptable && originOf(resolution, 'corsOrigins').source === 'default') {
    const extra = commaList(String(acceptable.raw));
    values.corsOrigins = [...((values.corsOrigins as string[] | null) ?? []), ...extra];
    origins.set('corsOrigins', acceptable.origin);
  }

  const uri = composePgUri(values);
  values.lettaPgUriNoDefault = uri === undefined ? null : new Secret(uri);
  values.lettaPgUri = new Secret(uri ?? DEFAULT_PG_URI);
  values.databaseEngine = uri === undefined ? 'sqlite' : 'postgres';
  checkDatabaseUris(resolution);

  // The schema's pattern has checked the entries.
  const register = values.pluginRegister as string | null;
  values.pluginRegisterDict = (register === null ? undefined : parsePluginRegister(register)) ?? {};

  checkRedisTopologySettings(resolution, prefix);
}

/**
 * Resolves Letta's full settings: reads and checks the layers, then adds the properties Letta computes.
 * `loadSettings` and `letta-settings validate` both go through it, so they report the same problems.
 */
export function resolveLettaSettings(
  model: SettingsModel,
  options: LoadOptions<unknown>,
  extensions: LoaderExtensions,
): Resolution {
  const resolution = resolveSettings(model, options, extensions);
  deriveServerSettings(resolution, model.prefix);
  deriveGroupSettings(resolution);
  return resolution;
}

/** Adds the telemetry, logging and tool properties Letta computes, for the full `Settings`. */
export function deriveGroupSettings(resolution: Resolution): void {
  const { values } = resolution;
  const telemetry = values.telemetry as Values;
  const logging = values.logging as Values;
  if (typeof logging.lettaLogPath === 'string')
    logging.lettaLogPath = expandPath(logging.lettaLogPath, resolution);
  // The schema's pattern has checked the backends.
  const backends = commaList(String(telemetry.providerTraceBackend));
  telemetry.providerTraceBackends = backends;
  const tool = values.tool as Values;
  tool.modalSandboxEnabled = Boolean(revealed(tool.modalTokenSecret) && tool.modalTokenId);
  tool.sandboxType = revealed(tool.e2bApiKey) === undefined ? 'local' : 'e2b';
  telemetry.socketBackendEnabled = backends.includes('socket');
  values.useClickhouseForProviderTraces = backends.includes('clickhouse');
}
