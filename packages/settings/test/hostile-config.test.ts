import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSettings, SettingsError, type SettingsIssue } from '@letta/settings';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli';
import { isolated, issuesOf, workspace } from './workspace';

const FIXTURES = fileURLToPath(new URL('./fixtures/hostile/', import.meta.url));
const SECRET = 'SUPERSECRET';

/** A workspace holding copies of the named fixtures. */
function withFixtures(...names: string[]): string {
  const dir = workspace();
  for (const name of names) copyFileSync(join(FIXTURES, name), join(dir, name));
  return dir;
}

/** The messages of the SettingsError a load of `files` throws, checked for a location and no secret. */
function problems(configFiles: readonly string[], env: Record<string, string> = {}, cwd?: string): string[] {
  const options = { ...isolated(env), ...(cwd && { cwd }), configFiles, dotenv: false as const };
  const issues = issuesOf(() => loadSettings(options));
  for (const issue of issues) expectLocated(issue);
  return issues.map((issue) => issue.message);
}

function expectLocated(issue: SettingsIssue): void {
  const located = issue.file !== undefined || issue.envVar !== undefined || /^options\./.test(issue.message);
  expect(located, issue.message).toBe(true);
  expect(issue.message).not.toContain(SECRET);
}

describe('hostile config files give a located SettingsError', () => {
  it.each([
    ['deep-2000.json', /deep-2000\.json:1:\d+: nests deeper than 64 levels; .*raise limits\.maxDepth/],
    ['deep-6000.json', /deep-6000\.json:1:\d+: nests deeper than 64 levels/],
    ['deep-flow.yaml', /deep-flow\.yaml:1:\d+: nests deeper than 64 levels/],
    [
      'alias-bomb.yaml',
      /alias-bomb\.yaml:\d+:\d+: .*expands more than 1000 aliases; .*raise limits\.maxAliases/,
    ],
    ['circular-alias.yaml', /circular-alias\.yaml:2:\d+: .*refers to a mapping or list that contains it/],
    ['self-list.yaml', /self-list\.yaml:\d+:\d+: letta\.cors_origins: .*contains it/],
  ])('%s', (name, expected) => {
    const dir = withFixtures(name);
    expect(problems([name], {}, dir)).toEqual([expect.stringMatching(expected)]);
  });

  it('reads a deeper file when the caller raises the limit', () => {
    const deep = `{"letta": {"cors_origins": ${'['.repeat(70)}${']'.repeat(70)}}}`;
    const dir = workspace({ 'deep-70.json': deep });
    const options = { ...isolated(), cwd: dir, configFiles: ['deep-70.json'], dotenv: false as const };
    expect(issuesOf(() => loadSettings(options))[0]?.message).toMatch(/nests deeper than 64 levels/);
    const raised = issuesOf(() => loadSettings({ ...options, limits: { maxDepth: 100 } }));
    expect(raised.map((issue) => issue.message)).toEqual([
      expect.stringMatching(/^deep-70\.json:1:29: letta\.cors_origins: item 1: expected a string, got \[/),
    ]);
  });

  it('reports a duplicate key together with the other problems of the file', () => {
    const dir = withFixtures('duplicate-and-type-error.yaml');
    expect(problems(['duplicate-and-type-error.yaml'], {}, dir)).toEqual([
      'duplicate-and-type-error.yaml:3:3: duplicate key debug; keep one',
      'duplicate-and-type-error.yaml:4:17: letta.pg_pool_size: expected an integer >= 0, got "ten"',
    ]);
  });

  it('points at the line where an unclosed quote opens, in YAML and in .env files', () => {
    const dir = withFixtures('unclosed-quote.yaml', 'unclosed-quote.env');
    expect(problems(['unclosed-quote.yaml'], {}, dir)).toEqual([
      'unclosed-quote.yaml:2:12: the string quoted with " that starts here is not closed; add the closing "',
    ]);
    const env = issuesOf(() => loadSettings({ ...isolated(), cwd: dir, dotenv: 'unclosed-quote.env' }));
    expect(env.map((issue) => issue.message)).toEqual(['unclosed-quote.env:1: expected NAME=value']);
  });

  it('refuses what the database engine would refuse at start-up, showing only a redacted URI', () => {
    const dir = withFixtures(
      'pg-uri-not-a-string.yaml',
      'pg-uri-garbage.yaml',
      'pg-uri-bad-port.yaml',
      'pool-size-negative.yaml',
    );
    expect(problems(['pg-uri-not-a-string.yaml'], {}, dir)).toEqual([
      'pg-uri-not-a-string.yaml:2:11: letta.pg_uri: expected a postgres:// or postgresql:// URI (the value is not shown: it is a secret)',
    ]);
    expect(problems(['pg-uri-garbage.yaml'], {}, dir)).toEqual([
      'pg-uri-garbage.yaml:2:11: letta.pg_uri: expected a postgres:// or postgresql:// URI (the value is not shown: it is a secret)',
    ]);
    expect(problems(['pg-uri-bad-port.yaml'], {}, dir)).toEqual([
      expect.stringMatching(
        /^pg-uri-bad-port\.yaml:2:11: letta\.pg_uri: The database URI postgresql:\/\/… is not a valid URI/,
      ),
    ]);
    expect(problems(['pool-size-negative.yaml'], {}, dir)).toEqual([
      'pool-size-negative.yaml:2:17: letta.pg_pool_size: expected an integer >= 0, got -3',
    ]);
    expect(problems([], { LETTA_PG_URI: 'garbage-SUPERSECRET' })).toEqual([
      expect.stringMatching(/^LETTA_PG_URI: expected a postgres/),
    ]);
  });

  it('never shows what a NAME_FILE variable points at', () => {
    const dir = withFixtures('secret-file-not-an-integer.txt');
    const file = join(dir, 'secret-file-not-an-integer.txt');
    expect(problems([], { LETTA_PG_POOL_SIZE_FILE: file })).toEqual([
      'LETTA_PG_POOL_SIZE_FILE: expected an integer >= 0 (the value is not shown: it was read from a file)',
    ]);
    expect(problems([], { LETTA_PLUGIN_REGISTER_FILE: file })).toEqual([
      expect.stringMatching(/^LETTA_PLUGIN_REGISTER_FILE: expected name=module:attr .*read from a file\)$/),
    ]);
  });

  it('reads the settings of Letta’s other components and its clients without a warning', () => {
    const dir = withFixtures('other-letta-settings.yaml', 'client-variables.env');
    const warnings: string[] = [];
    const settings = loadSettings({
      ...isolated(),
      cwd: dir,
      configFiles: ['other-letta-settings.yaml'],
      dotenv: 'client-variables.env',
      env: { LETTA_API_KEY: 'sk-let-x', LETTA_BASE_URL: 'http://localhost:8283', LETTA_PROJECT_ID: 'p' },
      onWarning: (warning) => warnings.push(warning.message),
    });
    expect(settings.pgPoolSize).toBe(25);
    expect(warnings).toEqual([]);
  });

  it('ignores the variables a service names, and still catches typos', () => {
    const warnings: string[] = [];
    loadSettings({
      ...isolated({ LETTA_BUILD_ID: '7', LETTA_FEATURE_X: 'on', LETTA_PG_POOL_SIZ: '5' }),
      ignoreEnv: ['LETTA_BUILD_ID', 'letta_feature_*'],
      onWarning: (warning) => warnings.push(warning.message),
    });
    expect(warnings).toEqual(['LETTA_PG_POOL_SIZ: not a known setting; did you mean LETTA_PG_POOL_SIZE?']);
  });

  it('reports options of the wrong type as issues, not as a TypeError', () => {
    const bad = { configFiles: [42], limits: { maxDepth: -1 }, unknownEnv: 'loud' } as unknown as Parameters<
      typeof loadSettings
    >[0];
    const issues = issuesOf(() => loadSettings({ ...isolated(), ...bad }));
    expect(issues.map((issue) => issue.message)).toEqual([
      'options.unknownEnv: expected "warn", "error" or "ignore", got a string',
      'options.configFiles[0]: expected a string, got a number',
      'options.limits.maxDepth: expected a whole number greater than 0, got a number',
    ]);
  });
});

describe('files that are not regular files', () => {
  function kinds() {
    const dir = workspace();
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    mkdirSync(join(dir, 'folder.yaml'));
    symlinkSync(join(dir, 'loop-b.yaml'), join(dir, 'loop-a.yaml'));
    symlinkSync(join(dir, 'loop-a.yaml'), join(dir, 'loop-b.yaml'));
    return {
      dir,
      paths: { fifo, folder: join(dir, 'folder.yaml'), loop: join(dir, 'loop-a.yaml'), zero: '/dev/zero' },
    };
  }

  it('are issues naming the path, never a read that blocks', () => {
    const { dir, paths } = kinds();
    expect(problems([paths.fifo], {}, dir)).toEqual([
      'pipe.yaml: is a named pipe (FIFO), not a regular file; name a file',
    ]);
    expect(problems([paths.folder], {}, dir)).toEqual([
      'folder.yaml: is a directory, not a regular file; name a file',
    ]);
    expect(problems([paths.loop], {}, dir)).toEqual([
      'loop-a.yaml: cannot be read: its symbolic links form a loop',
    ]);
    expect(problems([paths.zero], {}, dir)).toEqual([
      '/dev/zero: is a device, not a regular file; name a file',
    ]);
    expect(problems([], { LETTA_ENCRYPTION_KEY_FILE: paths.fifo })).toEqual([
      `LETTA_ENCRYPTION_KEY_FILE: "${paths.fifo}" is a named pipe (FIFO), not a regular file; name a file`,
    ]);
    const env = issuesOf(() => loadSettings({ ...isolated(), cwd: dir, dotenv: paths.fifo }));
    expect(env.map((issue) => issue.message)).toEqual([
      'pipe.yaml: is a named pipe (FIFO), not a regular file; name a file',
    ]);
  });

  it('refuses a file over the size limit, and reads it when the limit is raised', () => {
    const dir = workspace({ 'big.yaml': `letta:\n  environment: ${'x'.repeat(2000)}\n` });
    const options = { ...isolated(), cwd: dir, configFiles: ['big.yaml'], dotenv: false as const };
    const issues = issuesOf(() => loadSettings({ ...options, limits: { maxFileBytes: 1000 } }));
    expect(issues.map((issue) => issue.message)).toEqual([
      expect.stringMatching(
        /^big\.yaml: is 2\d{3} bytes, more than the limit of 1000; .*raise limits\.maxFileBytes/,
      ),
    ]);
    expect(loadSettings(options).environment).toHaveLength(2000);
  });
});

describe('letta-settings validate on hostile files', () => {
  it('exits 1 with located findings for two deeply nested files in one process', async () => {
    const dir = withFixtures('deep-2000.json', 'deep-6000.json');
    const result = await runCli(['validate', 'deep-2000.json', 'deep-6000.json'], { cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^deep-2000\.json:1:\d+: error: nests deeper than 64 levels/m);
    expect(result.stdout).toMatch(/^deep-6000\.json:1:\d+: error: nests deeper than 64 levels/m);
  });

  it('passes the raised limits on, and refuses a limit that is not a number', async () => {
    const dir = withFixtures('alias-bomb.yaml');
    const raised = await runCli(['validate', '--max-aliases', '5', 'alias-bomb.yaml'], { cwd: dir });
    expect(raised.stdout).toContain('expands more than 5 aliases');
    const bad = await runCli(['validate', '--max-depth', 'deep', 'alias-bomb.yaml'], { cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--max-depth: expected a whole number greater than 0, got "deep"');
  });

  it.each(['text', 'json', 'github'])('never prints a secret in the %s format', async (format) => {
    const dir = withFixtures('pg-uri-garbage.yaml', 'pg-uri-bad-port.yaml', 'other-letta-settings.yaml');
    writeFileSync(join(dir, 'secret.txt'), `${SECRET}\n`);
    writeFileSync(join(dir, 'secrets.env'), `LETTA_PG_POOL_SIZE_FILE=${join(dir, 'secret.txt')}\n`);
    const result = await runCli(
      [
        'validate',
        '--format',
        format,
        '--env-file',
        'secrets.env',
        'pg-uri-garbage.yaml',
        'pg-uri-bad-port.yaml',
        'other-letta-settings.yaml',
      ],
      { cwd: dir },
    );
    expect(result.status).toBe(1);
    expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET);
    expect(result.stdout).toContain('pg-uri-garbage.yaml');
  });
});

it('a SettingsError is the only error type the loader throws for these inputs', () => {
  expect(() => loadSettings({ ...isolated(), configFiles: [join(FIXTURES, 'self-list.yaml')] })).toThrow(
    SettingsError,
  );
});
