import { join } from 'node:path';
import { loadSettings } from '@letta/settings';
import { describe, expect, it } from 'vitest';
import { isolated, issuesOf } from './workspace';

function messages(env: Record<string, string>): string[] {
  return issuesOf(() => loadSettings(isolated(env))).map((issue) => issue.message);
}

const PARTS = {
  LETTA_PG_DB: 'letta',
  LETTA_PG_USER: 'app',
  LETTA_PG_PASSWORD: 'pw',
  LETTA_PG_HOST: 'db',
  LETTA_PG_PORT: '5432',
};

describe('Postgres URI', () => {
  it('falls back to the hard default and sqlite when nothing is configured', () => {
    const settings = loadSettings(isolated());
    expect(settings.lettaPgUri.reveal()).toBe('postgresql://letta:letta@localhost:5432/letta');
    expect(settings.lettaPgUriNoDefault).toBeNull();
    expect(settings.databaseEngine).toBe('sqlite');
  });

  it('builds the URI from all five parts, URL-encoding them', () => {
    const settings = loadSettings(
      isolated({ ...PARTS, LETTA_PG_USER: 'a@b', LETTA_PG_PASSWORD: 'p@ss:w/rd#1', LETTA_PG_DB: 'my db' }),
    );
    expect(settings.lettaPgUri.reveal()).toBe('postgresql://a%40b:p%40ss%3Aw%2Frd%231@db:5432/my%20db');
    expect(settings.lettaPgUriNoDefault?.reveal()).toBe(settings.lettaPgUri.reveal());
    expect(settings.databaseEngine).toBe('postgres');
  });

  it('brackets an IPv6 host', () => {
    expect(loadSettings(isolated({ ...PARTS, LETTA_PG_HOST: '::1' })).lettaPgUri.reveal()).toBe(
      'postgresql://app:pw@[::1]:5432/letta',
    );
    expect(loadSettings(isolated({ ...PARTS, LETTA_PG_HOST: '[fe80::1]' })).lettaPgUri.reveal()).toBe(
      'postgresql://app:pw@[fe80::1]:5432/letta',
    );
  });

  it('needs every part; LETTA_PG_URI wins over the parts', () => {
    const { LETTA_PG_PASSWORD: _, ...withoutPassword } = PARTS;
    expect(loadSettings(isolated(withoutPassword)).lettaPgUriNoDefault).toBeNull();
    const uri = 'postgresql+asyncpg://u:p@h:1/d';
    expect(loadSettings(isolated({ ...PARTS, LETTA_PG_URI: uri })).lettaPgUri.reveal()).toBe(uri);
  });
});

describe('plugin register', () => {
  it('parses name=module:attr entries', () => {
    const settings = loadSettings(
      isolated({ LETTA_PLUGIN_REGISTER: 'summarizer=my.mod:Summ; check=other:fn' }),
    );
    expect(settings.pluginRegisterDict).toEqual({
      summarizer: { target: 'my.mod:Summ' },
      check: { target: 'other:fn' },
    });
    expect(loadSettings(isolated()).pluginRegisterDict).toEqual({});
  });

  it.each(['a=b:c;', 'a=b=c', 'nameonly', '=x:y'])('reports %j as a SettingsError', (raw) => {
    expect(messages({ LETTA_PLUGIN_REGISTER: raw })).toEqual([
      `LETTA_PLUGIN_REGISTER: expected name=module:attr entries separated by ";", got ${JSON.stringify(raw)}`,
    ]);
  });
});

describe('Redis topology', () => {
  it.each([
    [
      { LETTA_REDIS_HOST: 'h', LETTA_REDIS_URL: 'redis://x' },
      'LETTA_REDIS_URL: conflicts with LETTA_REDIS_HOST',
    ],
    [
      { LETTA_REDIS_URL: 'redis://x', LETTA_REDIS_CLUSTER_NODES: 'a:1' },
      'LETTA_REDIS_CLUSTER_NODES: conflicts with LETTA_REDIS_URL',
    ],
    [
      { LETTA_REDIS_SENTINELS: 'a:1', LETTA_REDIS_SENTINEL_NAME: 'm', LETTA_REDIS_HOST: 'h' },
      'LETTA_REDIS_SENTINELS: conflicts with LETTA_REDIS_HOST',
    ],
  ])('allows one topology: %j', (env, start) => {
    expect(messages(env)).toEqual([
      `${start}; configure one Redis topology (host, URL, Sentinels or cluster nodes) and unset the other`,
    ]);
  });

  it('needs a sentinel name with sentinels, and sentinels with a name', () => {
    expect(messages({ LETTA_REDIS_SENTINELS: 'a:26379' })).toEqual([
      'LETTA_REDIS_SENTINELS: needs LETTA_REDIS_SENTINEL_NAME, the name of the master group the Sentinels monitor',
    ]);
    expect(messages({ LETTA_REDIS_SENTINEL_NAME: 'm' })).toEqual([
      'LETTA_REDIS_SENTINEL_NAME: is only used with LETTA_REDIS_SENTINELS; set the Sentinel addresses or unset it',
    ]);
  });

  it('checks host:port lists and the URL scheme without showing the secret URL', () => {
    expect(messages({ LETTA_REDIS_CLUSTER_NODES: 'a:1,b' })).toEqual([
      'LETTA_REDIS_CLUSTER_NODES: item 2: expected host:port, e.g. redis-1:26379 or [::1]:26379, got "b"',
    ]);
    expect(messages({ LETTA_REDIS_CLUSTER_NODES: 'a:70000' })[0]).toContain('item 1: expected host:port');
    expect(messages({ LETTA_REDIS_URL: 'http://user:hunter2@x' })).toEqual([
      'LETTA_REDIS_URL: expected a redis:// or rediss:// URL (the value is not shown: it is a secret)',
    ]);
  });

  it('accepts a plain host with the default port', () => {
    expect(loadSettings(isolated({ LETTA_REDIS_HOST: 'cache' }))).toMatchObject({
      redisHost: 'cache',
      redisPort: 6379,
      redisDb: 0,
      redisTls: false,
    });
  });
});

describe('paths and telemetry', () => {
  it('expands ~ against home and resolves relative paths against cwd', () => {
    const options = isolated();
    expect(loadSettings({ ...options, env: { LETTA_DIR: '~/state' } }).lettaDir).toBe(
      join(options.home, 'state'),
    );
    expect(loadSettings({ ...options, env: { LETTA_DIR: 'rel' } }).lettaDir).toBe(join(options.cwd, 'rel'));
    expect(loadSettings(options).logging.lettaLogPath).toBe(
      join(options.home, '.letta', 'logs', 'Letta.log'),
    );
  });

  it('splits the provider trace backends and checks them', () => {
    const settings = loadSettings(
      isolated({ LETTA_TELEMETRY_PROVIDER_TRACE_BACKEND: ' postgres, socket,,clickhouse ' }),
    );
    expect(settings.telemetry.providerTraceBackends).toEqual(['postgres', 'socket', 'clickhouse']);
    expect(settings.telemetry.socketBackendEnabled).toBe(true);
    expect(settings.useClickhouseForProviderTraces).toBe(true);
    expect(messages({ LETTA_TELEMETRY_PROVIDER_TRACE_BACKEND: 'postgress' })).toEqual([
      'LETTA_TELEMETRY_PROVIDER_TRACE_BACKEND: expected a comma list of postgres, clickhouse, socket, got "postgress"',
    ]);
  });
});
