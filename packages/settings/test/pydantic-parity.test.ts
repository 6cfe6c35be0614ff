import { loadSettings, loadTestSettings, SettingsError } from '@letta/settings';
import { describe, expect, it } from 'vitest';
import { hasLettaLoaderModules, loadLikeLetta } from './letta-loader';
import { isolated, workspace } from './workspace';

/** A value as Letta's pydantic classes read it: the value, or `refused` when Letta stops at start-up. */
type Outcome = { readonly value: unknown } | 'refused';

interface Case {
  readonly title: string;
  readonly env: Record<string, string>;
  /** Group in Letta's dump (`''` is `Settings`) and the field's snake-case name. */
  readonly letta: readonly [string, string];
  readonly path: string;
  readonly ours: Outcome;
  readonly lettaOutcome: Outcome;
}

const SAME = (
  title: string,
  env: Record<string, string>,
  letta: [string, string],
  path: string,
  value: unknown,
): Case => ({
  title,
  env,
  letta,
  path,
  ours: { value },
  lettaOutcome: { value },
});

// Values both loaders read alike.
const MATCHED: Case[] = [
  SAME(
    'an integer written with a zero fraction',
    { LETTA_PG_POOL_SIZE: '20.0' },
    ['', 'pg_pool_size'],
    'pgPoolSize',
    20,
  ),
  SAME(
    'an integer with underscores',
    { LETTA_PG_POOL_RECYCLE: '10_000' },
    ['', 'pg_pool_recycle'],
    'pgPoolRecycle',
    10000,
  ),
  SAME(
    'a float with underscores',
    { LETTA_KEEPALIVE_INTERVAL: '1_0' },
    ['', 'keepalive_interval'],
    'keepaliveInterval',
    10,
  ),
  SAME(
    'an integer with spaces and a sign',
    { LETTA_UVICORN_WORKERS: ' +3 ' },
    ['', 'uvicorn_workers'],
    'uvicornWorkers',
    3,
  ),
  SAME(
    'None as null in Settings',
    { LETTA_CLICKHOUSE_DATABASE: 'None' },
    ['', 'clickhouse_database'],
    'clickhouseDatabase',
    null,
  ),
  SAME(
    'a tool variable without prefix',
    { MCP_DISABLE_STDIO: 'no' },
    ['tool', 'mcp_disable_stdio'],
    'tool.mcpDisableStdio',
    false,
  ),
];

// Kept different on purpose; each row is in docs/migrating-from-letta.md with its reason.
const DIFFERENT: Case[] = [
  {
    title: 'an empty integer variable is unset here; Letta stops',
    env: { LETTA_PG_PORT: '' },
    letta: ['', 'pg_port'],
    path: 'pgPort',
    ours: { value: null },
    lettaOutcome: 'refused',
  },
  {
    title: 'an empty text variable is unset here; Letta keeps ""',
    env: { LETTA_ENVIRONMENT: '' },
    letta: ['', 'environment'],
    path: 'environment',
    ours: { value: null },
    lettaOutcome: { value: '' },
  },
  {
    title: 'None is null in every group here; Letta keeps the text outside Settings',
    env: { LETTA_TELEMETRY_SOURCE: 'None' },
    letta: ['telemetry', 'source'],
    path: 'telemetry.source',
    ours: { value: null },
    lettaOutcome: { value: 'None' },
  },
  {
    title: 'inf is refused here; Letta reads an infinite float',
    env: { LETTA_KEEPALIVE_INTERVAL: 'inf' },
    letta: ['', 'keepalive_interval'],
    path: 'keepaliveInterval',
    ours: 'refused',
    lettaOutcome: { value: 'inf' },
  },
  {
    title: 'a Redis port outside 1-65535 is refused here; Letta takes any integer',
    env: { LETTA_REDIS_PORT: '70000' },
    letta: ['', 'redis_port'],
    path: 'redisPort',
    ours: 'refused',
    lettaOutcome: { value: 70000 },
  },
  {
    title: 'a comma list of CORS origins is read here; Letta stops',
    env: { LETTA_CORS_ORIGINS: 'https://a.example,https://b.example' },
    letta: ['', 'cors_origins'],
    path: 'corsOrigins',
    ours: { value: ['https://a.example', 'https://b.example'] },
    lettaOutcome: 'refused',
  },
  {
    title: 'a malformed plugin register is refused here; Letta fails only when it is used',
    env: { LETTA_PLUGIN_REGISTER: 'a=m:f;' },
    letta: ['', 'plugin_register'],
    path: 'pluginRegister',
    ours: 'refused',
    lettaOutcome: { value: 'a=m:f;' },
  },
  {
    title: 'an unknown provider-trace backend is refused here; Letta ignores it',
    env: { LETTA_TELEMETRY_PROVIDER_TRACE_BACKEND: 'postgres,kafka' },
    letta: ['telemetry', 'provider_trace_backend'],
    path: 'telemetry.providerTraceBackend',
    ours: 'refused',
    lettaOutcome: { value: 'postgres,kafka' },
  },
];

function ourOutcome(env: Record<string, string>, path: string): Outcome {
  try {
    const settings = loadSettings(isolated(env));
    return {
      value: path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], settings),
    };
  } catch (error) {
    if (error instanceof SettingsError) return 'refused';
    throw error;
  }
}

describe('values, as pydantic parses them in Letta', () => {
  it.each([...MATCHED, ...DIFFERENT])('here: $title', ({ env, path, ours }) => {
    expect(ourOutcome(env, path)).toEqual(ours);
  });

  it('reads LETTA_OBJECT_STORE_PROJECT and LETTA_MEMFS_SERVICE_URL in test settings, without LETTA_TEST_', () => {
    const settings = loadTestSettings(
      isolated({ LETTA_OBJECT_STORE_PROJECT: 'p', LETTA_MEMFS_SERVICE_URL: 'http://memfs:8285' }),
    );
    expect(settings.objectStoreProject).toBe('p');
    expect(settings.memfsServiceUrl).toBe('http://memfs:8285');
  });

  describe.skipIf(!hasLettaLoaderModules())("Letta's classes (re-implemented with pydantic-settings)", () => {
    it.each([...MATCHED, ...DIFFERENT])('Letta: $title', ({ env, letta: [group, name], lettaOutcome }) => {
      const loaded = loadLikeLetta(undefined, workspace(), env);
      if (lettaOutcome === 'refused') {
        expect(loaded.error).toContain('validation error');
        return;
      }
      expect(loaded.error).toBeUndefined();
      const value = loaded.settings?.[group]?.[name];
      // Letta's float infinity is written as Python's text of it, `inf`.
      expect(value).toEqual(lettaOutcome.value);
    });
  });
});
