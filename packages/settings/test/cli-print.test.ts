import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from './cli';
import { workspace } from './workspace';

const SECRETS = { env: 'pg-pass-from-env', file: 'redis-pass-in-file', dotenv: 'token-in-dotenv' };

/** A machine where every layer holds a setting and a secret. */
function machine() {
  const cwd = workspace({
    'conf.yaml': `letta:\n  redis:\n    host: cache\n    password: ${SECRETS.file}\n  telemetry:\n    enable_datadog: yes\n`,
    '.env': `LETTA_DEFAULT_TOKEN=${SECRETS.dotenv}\nLETTA_UVICORN_WORKERS=3\n`,
  });
  return { cwd, env: { HOME: cwd, LETTA_PG_POOL_SIZE: '7', LETTA_PG_PASSWORD: SECRETS.env } };
}

function expectNoSecret(text: string) {
  for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
}

describe('letta-settings print', () => {
  it('prints the effective settings as a config file, secrets redacted (yaml, the default)', async () => {
    const { cwd, env } = machine();
    const result = await runCli(['print'], { cwd, env });
    expect(result.status).toBe(0);
    expectNoSecret(result.stdout);
    const printed = parse(result.stdout);
    expect(printed.letta).toMatchObject({
      pg_pool_size: 7,
      pg_password: '[redacted]',
      redis_host: 'cache',
      redis_password: '[redacted]',
      default_token: '[redacted]',
      uvicorn_workers: 3,
      dir: join(cwd, '.letta'),
      telemetry: expect.objectContaining({ enable_datadog: true, datadog_agent_port: 8126 }),
    });
    expect(printed.datadog).toEqual({
      git_commit_sha: null,
      git_repository_url: null,
      main_package: 'letta',
    });
  });

  it('prints a config file that validates', async () => {
    const { cwd, env } = machine();
    const printed = await runCli(['print'], { cwd, env });
    writeFileSync(join(cwd, 'printed.yaml'), printed.stdout);
    expect(await runCli(['validate', 'printed.yaml'], { cwd })).toEqual({
      status: 0,
      stdout: 'printed.yaml: valid.\n',
      stderr: '',
    });
  });

  it('--explain adds each value’s source', async () => {
    const { cwd, env } = machine();
    const yaml = await runCli(['print', '--explain'], { cwd, env });
    expect(yaml.stdout).toContain('  pg_pool_size: 7 # env LETTA_PG_POOL_SIZE\n');
    expect(yaml.stdout).toContain('  redis_host: cache # conf.yaml:3:11\n');
    expect(yaml.stdout).toContain('  uvicorn_workers: 3 # .env:2 LETTA_UVICORN_WORKERS\n');
    expect(yaml.stdout).toContain('  pg_max_overflow: 10 # default\n');
    expectNoSecret(yaml.stdout);

    const envFormat = await runCli(['print', '--format', 'env', '--explain'], { cwd, env });
    expect(envFormat.stdout).toContain('# env LETTA_PG_POOL_SIZE\nLETTA_PG_POOL_SIZE=7\n');
    expect(envFormat.stdout).toContain('# env LETTA_PG_PASSWORD\nLETTA_PG_PASSWORD=[redacted]\n');
    expect(envFormat.stdout).toContain('# default\nLETTA_PG_URI=None\n');
    expectNoSecret(envFormat.stdout);

    const json = await runCli(['print', '--format', 'json', '--explain'], { cwd, env });
    const entries = JSON.parse(json.stdout) as { key: string; source: string; value: unknown }[];
    expect(entries.find((entry) => entry.key === 'letta.redis_password')).toEqual({
      key: 'letta.redis_password',
      envVar: 'LETTA_REDIS_PASSWORD',
      value: '[redacted]',
      source: 'file',
      from: 'conf.yaml:4:15',
    });
    expect(entries.find((entry) => entry.key === 'letta.pg_echo')).toEqual({
      key: 'letta.pg_echo',
      envVar: 'LETTA_PG_ECHO',
      value: false,
      source: 'default',
    });
    expectNoSecret(json.stdout);
  });

  it('prints NAME=value lines with --format env, and JSON with --format json', async () => {
    const { cwd, env } = machine();
    const envFormat = await runCli(['print', '--format', 'env'], { cwd, env });
    expect(envFormat.stdout).toMatch(/^LETTA_DIR=\S+\nLETTA_DEBUG=false\n/);
    expect(envFormat.stdout).toContain(
      'LETTA_FILE_PROCESSING_TIMEOUT_ERROR_MESSAGE="File processing timed out after {} minutes. Please try again."\n',
    );
    // A list is a JSON array, the only form Letta's list settings read; the .env line quotes it.
    expect(envFormat.stdout).toContain(
      `LETTA_CORS_ORIGINS=${JSON.stringify(JSON.stringify(['http://letta.localhost', 'http://localhost:8283', 'http://localhost:8083', 'http://localhost:3000', 'http://localhost:4200']))}\n`,
    );
    const json = JSON.parse((await runCli(['print', '--format', 'json'], { cwd, env })).stdout);
    expect(json.letta.pg_pool_size).toBe(7);
    expect(json.letta.pg_password).toBe('[redacted]');
  });

  it('reads extra config files and an env file', async () => {
    const { cwd, env } = machine();
    writeFileSync(join(cwd, 'extra.json'), '{ "letta": { "pg_max_overflow": 2 } }');
    writeFileSync(join(cwd, 'prod.env'), 'LETTA_PG_ECHO=true\n');
    const result = await runCli(['print', '--format', 'env', 'extra.json', '--env-file', 'prod.env'], {
      cwd,
      env,
    });
    expect(result.stdout).toContain('LETTA_PG_MAX_OVERFLOW=2\n');
    expect(result.stdout).toContain('LETTA_PG_ECHO=true\n');
  });

  it('exits 1 with the problems on stderr when the settings are invalid', async () => {
    const { cwd, env } = machine();
    const result = await runCli(['print'], {
      cwd,
      env: { ...env, LETTA_PG_POOL_SIZE: 'lots', LETTA_REDIS_URL: 'x' },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        'error: LETTA_PG_POOL_SIZE: expected an integer >= 0, got "lots"',
        'error: LETTA_REDIS_URL: expected a redis:// or rediss:// URL (the value is not shown: it is a secret)',
        'Settings: 2 errors.',
        '',
      ].join('\n'),
    );
  });
});
