import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LoadSettingsOptions, loadSettings, Secret } from '@letta/settings';
import { describe, expect, it } from 'vitest';
import { lettaSettingsModel } from '../src/letta/letta-models';
import { snakeCase } from '../src/loader/setting-field';
import { runCli } from './cli';
import { type Dump, hasLettaLoaderModules, loadLikeLetta } from './letta-loader';
import { workspace } from './workspace';

/** What Letta loads from `file`; throws with Letta's error when Letta would stop at start-up. */
function lettaLoads(file: string, home: string): Dump {
  const loaded = loadLikeLetta(file, home);
  if (loaded.settings === undefined) throw new Error(`Letta refused the file:\n${loaded.error}`);
  return loaded.settings;
}

/** Each setting Letta has, as this loader loaded it and as Letta loaded the printed file. */
function compared(dump: Dump, options: LoadSettingsOptions & { readonly home: string }) {
  const loaded = loadSettings({ cwd: options.home, onWarning: () => {}, ...options });
  const ours = loaded as unknown as Record<string, unknown>;
  return lettaSettingsModel().fields.flatMap((field) => {
    const group = field.segments.length === 1 ? '' : (field.segments[0] ?? '');
    const name = snakeCase(field.segments.at(-1) ?? '');
    const letta = dump[group];
    if (field.secret || letta === undefined || !(name in letta)) return [];
    const value = field.segments.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], ours);
    return [{ path: field.path, ours: value instanceof Secret ? value.reveal() : value, letta: letta[name] }];
  });
}

async function printAndLoad(env: Record<string, string>) {
  const home = workspace();
  const printed = await runCli(['print', '--format', 'yaml'], { cwd: home, env: { ...env, HOME: home } });
  expect(printed.stderr).toBe('');
  const file = join(home, 'printed.yaml');
  writeFileSync(file, printed.stdout);
  return { home, file, dump: lettaLoads(file, home) };
}

describe.skipIf(!hasLettaLoaderModules())('letta-settings print --format yaml, loaded by Letta', () => {
  it('loads in Letta with every default unchanged', async () => {
    const { home, dump } = await printAndLoad({});
    for (const { path, ours, letta } of compared(dump, { env: {}, home })) expect(letta, path).toEqual(ours);
  });

  it('carries every kind of value Letta reads: lists, aliases, groups, look-alike strings, None', async () => {
    const env = {
      LETTA_CORS_ORIGINS: '["https://a.example","https://b.example"]',
      LETTA_DIR: '/srv/letta',
      TELEMETRY_SOCKET: '/run/trace.sock',
      DD_GIT_COMMIT_SHA: '0123abc',
      LETTA_ENVIRONMENT: 'yes',
      LETTA_PG_DB: '010',
      LETTA_DEFAULT_LLM_HANDLE: '2001-12-14',
      LETTA_CLICKHOUSE_DATABASE: 'None',
      LETTA_PG_POOL_SIZE: '7',
      LETTA_KEEPALIVE_INTERVAL: '2.5',
      LETTA_TELEMETRY_PROVIDER_TRACE_BACKEND: 'postgres,socket',
      E2B_SANDBOX_TEMPLATE_ID: 'on',
      MCP_DISABLE_STDIO: 'false',
      TOOL_SANDBOX_TIMEOUT: '12.5',
      LETTA_SUMMARIZER_MODE: 'static_message_buffer_mode',
      LETTA_SUMMARIZER_KEEP_LAST_N_MESSAGES: '4',
      LETTA_READINESS_ENFORCEMENT_ENABLED: 'true',
      LETTA_READINESS_DRAIN_RETURNS_503: 'false',
      LETTA_READINESS_EVENT_LOOP_LAG_THRESHOLD_MS: '250',
    };
    const { home, dump } = await printAndLoad(env);
    const rows = compared(dump, { env, home });
    for (const { path, ours, letta } of rows) expect(letta, path).toEqual(ours);
    const byPath = new Map(rows.map((row) => [row.path, row.letta]));
    expect(byPath.get('corsOrigins')).toEqual(['https://a.example', 'https://b.example']);
    expect(byPath.get('telemetry.socketPath')).toBe('/run/trace.sock');
    expect(byPath.get('lettaDir')).toBe('/srv/letta');
    expect(byPath.get('clickhouseDatabase')).toBeNull();
    expect(byPath.get('environment')).toBe('yes');
    expect(byPath.get('pgDb')).toBe('010');
    expect(byPath.get('readiness.drainReturns503')).toBe(false);
    expect(byPath.get('summarizer.keepLastNMessages')).toBe(4);
  });

  it('reads the printed file back into the same settings', async () => {
    const env = {
      LETTA_CORS_ORIGINS: '["https://a.example"]',
      TELEMETRY_SOCKET: '/run/t.sock',
      LETTA_DIR: '/srv/x',
    };
    const { home, file } = await printAndLoad(env);
    const fromFile = loadSettings({ env: {}, cwd: home, home, configFiles: [file], onWarning: () => {} });
    const fromEnv = loadSettings({ env, cwd: home, home, onWarning: () => {} });
    expect(fromFile.corsOrigins).toEqual(fromEnv.corsOrigins);
    expect(fromFile.telemetry.socketPath).toBe('/run/t.sock');
    expect(fromFile.lettaDir).toBe('/srv/x');
  });

  it('reads a YAML 1.1 conf.yaml as Letta does: booleans, octal, underscores, merge keys, dates', () => {
    const home = workspace();
    const file = join(home, 'conf.yaml');
    writeFileSync(
      file,
      [
        'letta:',
        '  pg: &pg',
        '    host: db.internal',
        '  pg_pool_size: 010',
        '  pg_pool_recycle: 1_800',
        '  pg_echo: on',
        '  redis:',
        '    <<: *pg',
        '    port: 6380',
        '  environment: yes',
        '  default_llm_handle: 2001-12-14',
        '  pg_db: 08',
        '  keepalive_interval: 1_0.5',
        'tool:',
        '  mcp:',
        '    disable_stdio: off',
        '',
      ].join('\n'),
    );
    const rows = compared(lettaLoads(file, home), { env: {}, home, configFiles: [file] });
    for (const { path, ours, letta } of rows) expect(letta, path).toEqual(ours);
    const byPath = new Map(rows.map((row) => [row.path, row.ours]));
    expect(byPath.get('pgPoolSize')).toBe(8);
    expect(byPath.get('redisHost')).toBe('db.internal');
    expect(byPath.get('environment')).toBe('true');
    expect(byPath.get('tool.mcpDisableStdio')).toBe(false);
  });
});
