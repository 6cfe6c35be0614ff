import { loadSettings, type SettingsIssue } from '@letta/settings';
import { describe, expect, it } from 'vitest';
import { isolated, issuesOf } from './workspace';

function fromFile(name: string, text: string) {
  const warnings: SettingsIssue[] = [];
  const options = isolated({}, { [name]: text });
  const settings = loadSettings({ ...options, configFiles: [name], onWarning: (w) => warnings.push(w) });
  return { settings, warnings: warnings.map((warning) => warning.message) };
}

describe('conf.yaml is read as YAML 1.1, as PyYAML reads it', () => {
  it('applies several << merge keys in one mapping, as PyYAML allows, without a duplicate-key error', () => {
    const { settings } = fromFile(
      'conf.yaml',
      'a: &a {pg_host: db}\nb: &b {pg_db: letta}\nletta:\n  <<: *a\n  <<: *b\n  pg_echo: yes\n',
    );
    expect([settings.pgHost, settings.pgDb, settings.pgEcho]).toEqual(['db', 'letta', true]);
  });

  it('merges a mapping merged many times over at every level once per mapping', () => {
    const lines = ['m0: &m0 {pg_host: db}'];
    for (let level = 1; level <= 24; level++)
      lines.push(
        `m${level}: &m${level} {<<: [${Array(8)
          .fill(`*m${level - 1}`)
          .join(', ')}]}`,
      );
    const { settings } = fromFile('conf.yaml', `${lines.join('\n')}\nletta: {<<: *m24}\n`);
    expect(settings.pgHost).toBe('db');
  });

  it('reads yes/no/on/off as booleans, and a boolean in a text setting as "true"/"false"', () => {
    const { settings } = fromFile(
      'conf.yaml',
      'letta:\n  debug: yes\n  pg_echo: on\n  pool_pre_ping: off\n  environment: no\n  pg_db: y\n',
    );
    expect(settings.debug).toBe(true);
    expect(settings.pgEcho).toBe(true);
    expect(settings.poolPrePing).toBe(false);
    expect(settings.environment).toBe('false');
    // PyYAML, unlike YAML 1.1's full list, keeps y and n as text.
    expect(settings.pgDb).toBe('y');
  });

  it('reads 010 as octal, 1_800 as 1800, 1:30 as 90 and 1_0.5 as 10.5', () => {
    const { settings } = fromFile(
      'conf.yaml',
      'letta:\n  pg_pool_size: 010\n  pg_pool_recycle: 1_800\n  pg_pool_timeout: 1:30\n  keepalive_interval: 1_0.5\n',
    );
    expect(settings.pgPoolSize).toBe(8);
    expect(settings.pgPoolRecycle).toBe(1800);
    expect(settings.pgPoolTimeout).toBe(90);
    expect(settings.keepaliveInterval).toBe(10.5);
  });

  it('keeps 08, 1e3 and a date as the text written, as PyYAML does', () => {
    const { settings } = fromFile(
      'conf.yaml',
      'letta:\n  pg_db: 08\n  pg_user: 1e3\n  environment: 2001-12-14\n',
    );
    expect(settings.pgDb).toBe('08');
    expect(settings.pgUser).toBe('1e3');
    expect(settings.environment).toBe('2001-12-14');
  });

  it('merges <<: *anchor, a key written in the mapping winning over a merged one', () => {
    const { settings } = fromFile(
      'conf.yaml',
      [
        'letta:',
        '  pg: &pg',
        '    host: db.internal',
        '    port: 5433',
        '  redis:',
        '    <<: [*pg]',
        '    port: 6380',
        '',
      ].join('\n'),
    );
    expect(settings.pgHost).toBe('db.internal');
    expect(settings.redisHost).toBe('db.internal');
    expect(settings.redisPort).toBe(6380);
  });

  it('keeps JSON files JSON: "<<" is an ordinary (unknown) key and "010" is text', () => {
    const issues = issuesOf(() =>
      loadSettings({
        ...isolated({}, { 'conf.json': '{"letta": {"pg": {"<<": {"host": "x"}}}}' }),
        configFiles: ['conf.json'],
      }),
    );
    expect(issues.map((issue) => issue.message).join('\n')).toContain('unknown key letta.pg.<<');
    expect(fromFile('conf.json', '{"letta": {"pg_db": "010"}}').settings.pgDb).toBe('010');
  });
});

describe('keys this loader reads but Letta ignores', () => {
  it('warns, naming the key Letta reads instead', () => {
    const { settings, warnings } = fromFile(
      'conf.yaml',
      'letta:\n  letta_dir: /srv/a\n  telemetry:\n    socket_path: /run/s.sock\n    datadog_git_commit_sha: abc\n',
    );
    expect(settings.lettaDir).toBe('/srv/a');
    expect(settings.telemetry.socketPath).toBe('/run/s.sock');
    expect(warnings).toEqual([
      'conf.yaml:2:3: letta.letta_dir: Letta ignores this key (it becomes LETTA_LETTA_DIR, which Letta does not read); write letta.dir instead',
      'conf.yaml:4:5: letta.telemetry.socket_path: Letta ignores this key (it becomes LETTA_TELEMETRY_SOCKET_PATH, which Letta does not read); write tool.telemetry_socket instead',
      'conf.yaml:5:5: letta.telemetry.datadog_git_commit_sha: Letta ignores this key (it becomes LETTA_TELEMETRY_DATADOG_GIT_COMMIT_SHA, which Letta does not read); write datadog.git_commit_sha instead',
    ]);
  });

  it('warns about an upper-case LETTA: section, which Letta does not read', () => {
    const { settings, warnings } = fromFile('conf.yaml', 'LETTA:\n  pg_host: db\n');
    expect(settings.pgHost).toBe('db');
    expect(warnings).toEqual([
      'conf.yaml:2:3: LETTA.pg_host: Letta ignores this key (it becomes LETTA_PG_HOST, which Letta does not read); write letta.pg_host instead',
    ]);
  });

  it('does not warn about the keys Letta reads', () => {
    const { settings, warnings } = fromFile(
      'conf.yaml',
      'letta:\n  dir: /srv/b\ntool:\n  telemetry_socket: /run/t.sock\n  e2b:\n    sandbox_template_id: t1\ndatadog:\n  git_commit_sha: abc\n',
    );
    expect(warnings).toEqual([]);
    expect(settings.lettaDir).toBe('/srv/b');
    expect(settings.telemetry.socketPath).toBe('/run/t.sock');
    expect(settings.tool.e2bSandboxTemplateId).toBe('t1');
    expect(settings.telemetry.datadogGitCommitSha).toBe('abc');
  });
});
