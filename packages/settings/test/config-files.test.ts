import { join } from 'node:path';
import { explain, loadSettings } from '@letta/settings';
import { describe, expect, it } from 'vitest';
import { issuesOf, workspace } from './workspace';

function load(files: Record<string, string>, extra: Parameters<typeof loadSettings>[0] = {}) {
  const cwd = workspace(files);
  return loadSettings({
    env: {},
    cwd,
    home: join(cwd, 'home'),
    dotenv: false,
    onWarning: () => {},
    ...extra,
  });
}

function fileIssues(files: Record<string, string>, extra: Parameters<typeof loadSettings>[0] = {}) {
  return issuesOf(() => load(files, extra));
}

describe("Letta's conf.yaml format", () => {
  it('joins nested letta: keys with _ in any nesting', () => {
    const settings = load({
      'conf.yaml': [
        'letta:',
        '  pg:',
        '    host: db.example',
        '    pool:',
        '      size: 12',
        '  pg_port: 6543',
        '  telemetry:',
        '    enable_datadog: yes',
        '  logging:',
        '    json_logging: true',
        '  cors_origins: [https://a, https://b]',
        '  dir: /srv/letta',
        'model:',
        '  openai:',
        '    api_key: ignored-here',
        'datadog:',
        '  git_commit_sha: abc123',
        '',
      ].join('\n'),
    });
    expect(settings).toMatchObject({
      pgHost: 'db.example',
      pgPoolSize: 12,
      pgPort: 6543,
      lettaDir: '/srv/letta',
    });
    expect(settings.telemetry).toMatchObject({ enableDatadog: true, datadogGitCommitSha: 'abc123' });
    expect(settings.logging.jsonLogging).toBe(true);
    expect(settings.corsOrigins).toEqual(['https://a', 'https://b']);
    expect(explain(settings).find((entry) => entry.path === 'pgHost')).toEqual({
      path: 'pgHost',
      value: 'db.example',
      source: 'file',
      file: 'conf.yaml',
      line: 3,
      column: 11,
      key: 'letta.pg.host',
    });
  });

  it('reads a setting under its own key even where Letta reads only an alias', () => {
    const settings = load({
      'conf.yaml': 'letta:\n  letta_dir: /a\n  telemetry:\n    socket_path: /s.sock\n',
    });
    expect([settings.lettaDir, settings.telemetry.socketPath]).toEqual(['/a', '/s.sock']);
  });

  it('skips null values and an empty file', () => {
    expect(load({ 'conf.yaml': 'letta:\n  pg_port: ~\n  environment:\n' }).pgPort).toBeNull();
    expect(load({ 'conf.yaml': '' }).pgPoolSize).toBe(25);
    expect(load({ 'conf.yaml': '# only a comment\n' }).pgPoolSize).toBe(25);
  });

  it('reads JSON config files', () => {
    const settings = load(
      { 'settings.json': '{\n  "letta": {\n    "pg": { "pool_size": 9 },\n    "debug": true\n  }\n}\n' },
      { configFiles: ['settings.json'] },
    );
    expect([settings.pgPoolSize, settings.debug]).toEqual([9, true]);
  });

  it('stringifies YAML scalars for text settings, as Letta does', () => {
    expect(load({ 'conf.yaml': 'letta:\n  environment: 2024\n  pg_password: 1234\n' })).toMatchObject({
      environment: '2024',
    });
  });
});

describe('config file errors', () => {
  it('reports a type error at file:line:column', () => {
    const issues = fileIssues({ 'conf.yaml': 'letta:\n  pg:\n    pool_size: ten\n' });
    expect(issues).toEqual([
      {
        path: 'pgPoolSize',
        file: 'conf.yaml',
        line: 3,
        column: 16,
        message: 'conf.yaml:3:16: letta.pg.pool_size: expected an integer >= 0, got "ten"',
      },
    ]);
  });

  it('reports unknown keys under letta: with a did-you-mean in the nesting used', () => {
    const issues = fileIssues({
      'conf.yaml':
        'letta:\n  pg:\n    hots: x\n  pg_pool_sise: 3\n  telemetry:\n    enable_datadgo: true\n  zzz: 1\n',
    });
    expect(issues.map((issue) => issue.message)).toEqual([
      'conf.yaml:3:5: unknown key letta.pg.hots; did you mean letta.pg.host?',
      'conf.yaml:4:3: unknown key letta.pg_pool_sise; did you mean letta.pg_pool_size?',
      'conf.yaml:6:5: unknown key letta.telemetry.enable_datadgo; did you mean letta.telemetry.enable_datadog?',
      'conf.yaml:7:3: unknown key letta.zzz',
    ]);
  });

  it('reports malformed YAML with its position, without the line text', () => {
    const issues = fileIssues({ 'conf.yaml': 'letta:\n  pg_password: "s3cret\n' });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: '', file: 'conf.yaml', line: 2, column: 16 });
    expect(issues[0]?.message).toMatch(
      /^conf\.yaml:2:16: the string quoted with " that starts here is not closed/,
    );
    expect(issues[0]?.message).not.toContain('s3cret');
  });

  it('reports duplicate keys, and one setting given twice', () => {
    const duplicate = fileIssues({ 'conf.yaml': 'letta:\n  debug: true\n  debug: false\n' });
    expect(duplicate.map((issue) => issue.message)).toEqual(['conf.yaml:3:3: duplicate key debug; keep one']);
    const twice = fileIssues({ 'conf.yaml': 'letta:\n  pg:\n    host: a\n  pg_host: b\n' });
    expect(twice.map((issue) => issue.message)).toEqual([
      'conf.yaml:4:12: letta.pg_host sets the same setting as letta.pg.host; keep one',
    ]);
  });

  it('reports malformed JSON and a top level that is not a mapping', () => {
    const json = fileIssues({ 'c.json': '{ "letta": { "debug": true, } ' }, { configFiles: ['c.json'] });
    expect(json[0]).toMatchObject({ file: 'c.json', line: 1 });
    expect(fileIssues({ 'conf.yaml': '- a\n- b\n' }).map((issue) => issue.message)).toEqual([
      'conf.yaml:1:1: expected a mapping of sections (such as letta:) at the top',
    ]);
    expect(fileIssues({ 'conf.yaml': 'letta: 5\n' }).map((issue) => issue.message)).toEqual([
      'conf.yaml:1:8: letta: expected a mapping of settings',
    ]);
  });

  it('hides secret values in type errors', () => {
    const issues = fileIssues({ 'conf.yaml': 'letta:\n  pg_password: [hunter2]\n' });
    expect(issues.map((issue) => issue.message)).toEqual([
      'conf.yaml:2:16: letta.pg_password: expected a string (the value is not shown: it is a secret)',
    ]);
  });

  it('requires explicit config files and LETTA_CONFIG_PATH to exist', () => {
    expect(fileIssues({}, { configFiles: ['missing.yaml'] }).map((issue) => issue.message)).toEqual([
      'configFiles: config file "missing.yaml" does not exist',
    ]);
    expect(fileIssues({}, { env: { LETTA_CONFIG_PATH: 'nope.yaml' } }).map((issue) => issue.message)).toEqual(
      ['LETTA_CONFIG_PATH: config file "nope.yaml" does not exist'],
    );
    expect(fileIssues({}, { dotenv: '.env.production' }).map((issue) => issue.message)).toEqual([
      'dotenv: ".env.production" does not exist',
    ]);
  });

  it('collects problems from every file at once', () => {
    const issues = fileIssues(
      { 'conf.yaml': 'letta:\n  debug: maybe\n', 'home/.letta/conf.yaml': 'letta:\n  bogus: 1\n' },
      { env: { LETTA_PG_POOL_SIZE: 'x' } },
    );
    expect(issues.map((issue) => issue.message)).toEqual([
      `${join('home', '.letta', 'conf.yaml')}:2:3: unknown key letta.bogus`,
      'conf.yaml:2:10: letta.debug: expected a boolean (true/false, 1/0, yes/no, on/off, t/f, y/n), got "maybe"',
      'LETTA_PG_POOL_SIZE: expected an integer >= 0, got "x"',
    ]);
  });

  it('warns about every section it does not read, with a did-you-mean when one is close', () => {
    const warnings: string[] = [];
    load(
      { 'conf.yaml': 'leta:\n  debug: true\nserver:\n  port: 1\n' },
      { onWarning: (warning) => warnings.push(warning.message) },
    );
    expect(warnings).toEqual([
      'conf.yaml:1:1: section leta is not read; did you mean letta?',
      'conf.yaml:3:1: section server is not read (the sections read are letta, model, tool, datadog)',
    ]);
  });

  it('accepts a $schema key at the top of a JSON file', () => {
    const warnings: string[] = [];
    const settings = load(
      { 'c.json': '{ "$schema": "./letta-settings.schema.json", "letta": { "debug": true } }' },
      { configFiles: ['c.json'], onWarning: (warning) => warnings.push(warning.message) },
    );
    expect(settings.debug).toBe(true);
    expect(warnings).toEqual([]);
  });

  it.each([
    [
      'a trailing comma',
      '{ "letta": { "debug": true, } }',
      '1:27: invalid JSON: trailing commas are not allowed in JSON',
    ],
    ['a comment', '{\n  // pool\n  "letta": {} }', '2:3: invalid JSON: comments are not allowed in JSON'],
    ['single quotes', "{ 'letta': {} }", '1:3: invalid JSON: strings must use double quotes in JSON'],
    ['an unquoted key', '{ letta: {} }', '1:3: invalid JSON: expected a property name in double quotes'],
    [
      'a missing comma',
      '{ "letta": {\n  "debug": true\n  "pg_port": 1 } }',
      '3:3: invalid JSON: expected "," or "}"',
    ],
    [
      'an unterminated string',
      '{ "letta": { "pg_password": "hunter2\n} }',
      '1:37: invalid JSON: unterminated string',
    ],
    ['a bare word', '{ "letta": { "pg_password": hunter2 } }', '1:29: invalid JSON: expected a value'],
    [
      'text after the value',
      '{ "letta": {} }\nletta: {}',
      '2:1: invalid JSON: unexpected text after the JSON value',
    ],
    ['an empty file', '', '1:1: invalid JSON: unexpected end of the file; expected a value'],
  ])('reports %s in a JSON file at its position, without the text', (_, text, problem) => {
    const issues = fileIssues({ 'c.json': text }, { configFiles: ['c.json'] });
    expect(issues.map((issue) => issue.message)).toEqual([`c.json:${problem}`]);
    expect(issues[0]?.message).not.toContain('hunter2');
  });
});
