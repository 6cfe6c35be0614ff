import { join } from 'node:path';
import { explain, loadSettings, type SettingsIssue } from '@letta/settings';
import { describe, expect, it } from 'vitest';
import { isolated, issuesOf, workspace } from './workspace';

const messages = (load: () => unknown) => issuesOf(load).map((issue) => issue.message);

describe('environment variable rules', () => {
  it('matches names case-insensitively', () => {
    expect(loadSettings(isolated({ letta_pg_pool_size: '7', Letta_Debug: 'true' }))).toMatchObject({
      pgPoolSize: 7,
      debug: true,
    });
  });

  it('treats an empty value as unset', () => {
    const settings = loadSettings(
      isolated({ LETTA_PG_PORT: '', LETTA_PG_POOL_SIZE: '', LETTA_ENVIRONMENT: '' }),
    );
    expect([settings.pgPort, settings.pgPoolSize, settings.environment]).toEqual([null, 25, null]);
  });

  it('reads None as null, and refuses it where null is not allowed', () => {
    expect(loadSettings(isolated({ LETTA_REDIS_PORT: 'None', LETTA_DEBUG: 'None' }))).toMatchObject({
      redisPort: null,
      debug: null,
    });
    expect(messages(() => loadSettings(isolated({ LETTA_PG_POOL_SIZE: 'None' })))).toEqual([
      'LETTA_PG_POOL_SIZE: expected an integer >= 0, got "None"',
    ]);
  });

  it.each([
    ['1', true],
    ['0', false],
    ['TRUE', true],
    ['False', false],
    ['yes', true],
    ['NO', false],
    ['on', true],
    ['Off', false],
    ['t', true],
    ['F', false],
    ['y', true],
    ['n', false],
    [' true ', true],
  ])('accepts the boolean %j', (raw, expected) => {
    expect(loadSettings(isolated({ LETTA_PG_ECHO: raw })).pgEcho).toBe(expected);
  });

  it.each(['2', 'enabled', 'truthy', '-1', 'ja'])('rejects the boolean %j', (raw) => {
    expect(messages(() => loadSettings(isolated({ LETTA_PG_ECHO: raw })))).toEqual([
      `LETTA_PG_ECHO: expected a boolean (true/false, 1/0, yes/no, on/off, t/f, y/n), got ${JSON.stringify(raw)}`,
    ]);
  });

  it.each([
    ['10abc', 'an integer'],
    ['1.5', 'an integer'],
    ['0x10', 'an integer'],
    ['1e3', 'an integer'],
    ['ten', 'an integer'],
    ['99999999999999999999', 'an integer'],
  ])('rejects the integer %j', (raw, expected) => {
    expect(messages(() => loadSettings(isolated({ LETTA_ARCHIVAL_MEMORY_TOKEN_LIMIT: raw })))).toEqual([
      `LETTA_ARCHIVAL_MEMORY_TOKEN_LIMIT: expected ${expected}, got ${JSON.stringify(raw)}`,
    ]);
  });

  it.each([
    ['12', 12],
    ['-3', -3],
    [' 8 ', 8],
  ])('accepts the integer %j', (raw, expected) => {
    expect(loadSettings(isolated({ LETTA_ARCHIVAL_MEMORY_TOKEN_LIMIT: raw })).archivalMemoryTokenLimit).toBe(
      expected,
    );
  });

  it.each([
    ['15.5', 15.5],
    ['.5', 0.5],
    ['1e1', 10],
    ['20', 20],
  ])('accepts the number %j', (raw, expected) => {
    expect(loadSettings(isolated({ LETTA_KEEPALIVE_INTERVAL: raw })).keepaliveInterval).toBe(expected);
  });

  it.each(['1.5s', 'NaN', 'Infinity', '1,5', ''])('rejects the number %j (or, empty, ignores it)', (raw) => {
    if (raw === '') {
      expect(loadSettings(isolated({ LETTA_KEEPALIVE_INTERVAL: raw })).keepaliveInterval).toBe(20);
      return;
    }
    expect(messages(() => loadSettings(isolated({ LETTA_KEEPALIVE_INTERVAL: raw })))).toEqual([
      `LETTA_KEEPALIVE_INTERVAL: expected a number, got ${JSON.stringify(raw)}`,
    ]);
  });

  it('enforces ranges with the range in the message', () => {
    const env = {
      LETTA_OTEL_PREFERRED_TEMPORALITY: '3',
      LETTA_LLM_REQUEST_TIMEOUT_SECONDS: '9.5',
      LETTA_LLM_STREAM_TIMEOUT_SECONDS: '1800.5',
      LETTA_TELEMETRY_DATADOG_AGENT_PORT: '0',
      LETTA_REDIS_DB: '-1',
    };
    expect(messages(() => loadSettings(isolated(env)))).toEqual([
      'LETTA_REDIS_DB: expected an integer >= 0, got "-1"',
      'LETTA_OTEL_PREFERRED_TEMPORALITY: expected an integer from 0 to 2, got "3"',
      'LETTA_LLM_REQUEST_TIMEOUT_SECONDS: expected a number from 10 to 1800, got "9.5"',
      'LETTA_LLM_STREAM_TIMEOUT_SECONDS: expected a number from 10 to 1800, got "1800.5"',
      'LETTA_TELEMETRY_DATADOG_AGENT_PORT: expected an integer from 1 to 65535, got "0"',
    ]);
  });

  it('reads lists as a JSON array or a comma list', () => {
    const json = loadSettings(isolated({ LETTA_CORS_ORIGINS: '["https://a", "https://b"]' }));
    const comma = loadSettings(isolated({ LETTA_CORS_ORIGINS: 'https://a, https://b,' }));
    expect(json.corsOrigins).toEqual(['https://a', 'https://b']);
    expect(comma.corsOrigins).toEqual(['https://a', 'https://b']);
    expect(messages(() => loadSettings(isolated({ LETTA_CORS_ORIGINS: '["https://a",' })))).toEqual([
      'LETTA_CORS_ORIGINS: expected a JSON array or a comma-separated list of strings, got "[\\"https://a\\","',
    ]);
  });

  it('extends the default CORS origins with ACCEPTABLE_ORIGINS, unless LETTA_CORS_ORIGINS is set', () => {
    const extended = loadSettings(isolated({ ACCEPTABLE_ORIGINS: 'https://x.example,https://y.example' }));
    expect(extended.corsOrigins).toEqual([
      'http://letta.localhost',
      'http://localhost:8283',
      'http://localhost:8083',
      'http://localhost:3000',
      'http://localhost:4200',
      'https://x.example',
      'https://y.example',
    ]);
    expect(explain(extended).find((entry) => entry.path === 'corsOrigins')).toMatchObject({
      source: 'env',
      envVar: 'ACCEPTABLE_ORIGINS',
    });
    const replaced = loadSettings(
      isolated({ ACCEPTABLE_ORIGINS: 'https://x.example', LETTA_CORS_ORIGINS: 'https://z' }),
    );
    expect(replaced.corsOrigins).toEqual(['https://z']);
  });

  it('reads NAME_FILE from a file, without its trailing newline', () => {
    const dir = workspace({ 'pg-password': 'from file\n' });
    const settings = loadSettings({
      ...isolated(),
      env: { LETTA_PG_PASSWORD_FILE: join(dir, 'pg-password') },
    });
    expect(settings.pgPassword?.reveal()).toBe('from file');
    expect(explain(settings).find((entry) => entry.path === 'pgPassword')).toMatchObject({
      source: 'env',
      envVar: 'LETTA_PG_PASSWORD_FILE',
    });
  });

  it('refuses NAME and NAME_FILE together, and a NAME_FILE that cannot be read', () => {
    const dir = workspace({ key: 'k' });
    expect(
      messages(() =>
        loadSettings(isolated({ LETTA_ENCRYPTION_KEY: 'x', LETTA_ENCRYPTION_KEY_FILE: join(dir, 'key') })),
      ),
    ).toEqual([
      'LETTA_ENCRYPTION_KEY_FILE: set either LETTA_ENCRYPTION_KEY or LETTA_ENCRYPTION_KEY_FILE, not both',
    ]);
    expect(
      messages(() => loadSettings(isolated({ LETTA_ENCRYPTION_KEY_FILE: join(dir, 'missing') }))),
    ).toEqual([
      `LETTA_ENCRYPTION_KEY_FILE: cannot read "${join(dir, 'missing')}" (it does not exist); fix the path or unset it`,
    ]);
  });

  it('never mutates the env it is given, nor process.env', () => {
    const env = Object.freeze({ LETTA_PG_POOL_SIZE: '5' });
    const before = { ...process.env };
    loadSettings({ ...isolated(), env });
    loadSettings({ ...isolated(), env: {}, dotenv: false });
    expect(process.env).toEqual(before);
  });
});

describe('unknown LETTA_* variables', () => {
  it('warns with a did-you-mean by default, through onWarning', () => {
    const warnings: SettingsIssue[] = [];
    const options = { ...isolated({ LETTA_PG_POOL_SIZ: '5', LETTA_TELEMTRY_ENABLE_DATADOG: 'true' }) };
    loadSettings({ ...options, onWarning: (warning) => warnings.push(warning) });
    expect(warnings.map((warning) => warning.message)).toEqual([
      'LETTA_PG_POOL_SIZ: not a known setting; did you mean LETTA_PG_POOL_SIZE?',
      'LETTA_TELEMTRY_ENABLE_DATADOG: not a known setting; did you mean LETTA_TELEMETRY_ENABLE_DATADOG?',
    ]);
    expect(warnings[0]).toMatchObject({ envVar: 'LETTA_PG_POOL_SIZ', path: '' });
  });

  it('names the real variable of an aliased setting', () => {
    const warnings: string[] = [];
    loadSettings({
      ...isolated({ LETTA_LETTA_DIR: '/x', LETTA_TELEMETRY_SOCKET_PATH: '/s' }),
      onWarning: (w) => warnings.push(w.message),
    });
    expect(warnings).toEqual([
      'LETTA_LETTA_DIR: not a known setting; it is read from LETTA_DIR',
      'LETTA_TELEMETRY_SOCKET_PATH: not a known setting; it is read from TELEMETRY_SOCKET or SOCKET_PATH',
    ]);
  });

  it('is an error with unknownEnv: error, and silent with ignore', () => {
    expect(
      messages(() => loadSettings({ ...isolated({ LETTA_PG_HOTS: 'x' }), unknownEnv: 'error' })),
    ).toEqual(['LETTA_PG_HOTS: not a known setting; did you mean LETTA_PG_HOST?']);
    const warnings: unknown[] = [];
    loadSettings({
      ...isolated({ LETTA_PG_HOTS: 'x' }),
      unknownEnv: 'ignore',
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings).toEqual([]);
  });

  it('knows the other variables of Letta and of its other settings classes', () => {
    const warnings: unknown[] = [];
    const env = {
      LETTA_CONFIG_PATH: '',
      LETTA_SERVER_PASSWORD: 'x',
      LETTA_SERVER_PASSWORD_FILE: '/run/secrets/letta/server-password',
      LETTA_SERVER_SECURE: 'true',
      LETTA_VERSION: '1',
      LETTA_TEST_PG_URI: 'x',
      LETTA_SUMMARIZER_MODE: 'static_message_buffer_mode',
      LETTA_READINESS_ENFORCEMENT_ENABLED: 'true',
      LETTA_PG_PASSWORD_FILE: '',
      OPENAI_API_KEY: 'x',
    };
    loadSettings({ ...isolated(env), onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
  });

  it('warns about unknown entries of .env files with their line', () => {
    const warnings: SettingsIssue[] = [];
    const cwd = workspace({ '.env': 'OTHER=1\nLETTA_DEBUGG=true\n' });
    loadSettings({ env: {}, cwd, home: cwd, onWarning: (warning) => warnings.push(warning) });
    expect(warnings).toEqual([
      {
        path: '',
        envVar: 'LETTA_DEBUGG',
        file: '.env',
        line: 2,
        message: '.env:2: LETTA_DEBUGG: not a known setting; did you mean LETTA_DEBUG?',
      },
    ]);
  });

  it('emits a process warning when no onWarning is given', async () => {
    const emitted = new Promise<Error>((resolve) => process.once('warning', resolve));
    const { onWarning: _, ...options } = isolated({ LETTA_PG_POOL_SIZ: '5' });
    loadSettings(options);
    const warning = await emitted;
    expect(warning.message).toBe('LETTA_PG_POOL_SIZ: not a known setting; did you mean LETTA_PG_POOL_SIZE?');
    expect((warning as Error & { code?: string }).code).toBe('LETTA_SETTINGS');
  });
});
