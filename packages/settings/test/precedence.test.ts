import { join } from 'node:path';
import { explain, loadSettings } from '@letta/settings';
import { describe, expect, it } from 'vitest';
import { workspace } from './workspace';

// Highest precedence first, as documented: overrides > env > .env > configFiles > LETTA_CONFIG_PATH >
// ./conf.yaml > ~/.letta/conf.yaml > default. Each layer sets LETTA_PG_POOL_SIZE to its own value.
const SOURCES = ['override', 'env', 'dotenv', 'configFiles', 'configPath', 'cwdConf', 'homeConf'] as const;
type Source = (typeof SOURCES)[number];
const VALUE: Record<Source, number> = {
  override: 1,
  env: 2,
  dotenv: 3,
  configFiles: 4,
  configPath: 5,
  cwdConf: 6,
  homeConf: 7,
};
const EXPLAINED: Record<Source, object> = {
  override: { source: 'override', key: 'pgPoolSize' },
  env: { source: 'env', envVar: 'LETTA_PG_POOL_SIZE' },
  dotenv: { source: 'dotenv', file: '.env', line: 2 },
  configFiles: { source: 'file', file: 'explicit.yaml', line: 3, column: 16 },
  configPath: { source: 'file', file: 'from-env-var.json', line: 1, column: 30 },
  cwdConf: { source: 'file', file: 'conf.yaml', line: 2, column: 17 },
  homeConf: { source: 'file', file: join('home', '.letta', 'conf.yaml'), line: 2, column: 17 },
};

function load(present: ReadonlySet<Source>) {
  const files: Record<string, string> = {
    // Files that are not selected still exist (except the searched ones) so that only the switch differs.
    '.env': `# comment\nLETTA_PG_POOL_SIZE=${VALUE.dotenv}\n`,
    'explicit.yaml': `letta:\n  pg:\n    pool_size: ${VALUE.configFiles}\n`,
    'from-env-var.json': `{ "letta": { "pg_pool_size": ${VALUE.configPath} } }`,
  };
  if (present.has('cwdConf')) files['conf.yaml'] = `letta:\n  pg_pool_size: ${VALUE.cwdConf}\n`;
  if (present.has('homeConf')) files['home/.letta/conf.yaml'] = `letta:\n  pg_pool_size: ${VALUE.homeConf}\n`;
  const cwd = workspace(files);
  const env: Record<string, string> = {};
  if (present.has('env')) env.LETTA_PG_POOL_SIZE = String(VALUE.env);
  if (present.has('configPath')) env.LETTA_CONFIG_PATH = 'from-env-var.json';
  return loadSettings({
    env,
    cwd,
    home: join(cwd, 'home'),
    dotenv: present.has('dotenv') ? '.env' : false,
    configFiles: present.has('configFiles') ? ['explicit.yaml'] : [],
    overrides: present.has('override') ? { pgPoolSize: VALUE.override } : {},
  });
}

const subsets = Array.from({ length: 2 ** SOURCES.length }, (_, mask) =>
  SOURCES.filter((_, index) => mask & (1 << index)),
);

describe('precedence across every combination of layers', () => {
  it.each(subsets.map((subset) => [subset.join(' + ') || 'none', subset] as const))('%s', (_, subset) => {
    const settings = load(new Set(subset));
    const winner = subset[0];
    expect(settings.pgPoolSize).toBe(winner === undefined ? 25 : VALUE[winner]);
    const explained = explain(settings).find((entry) => entry.path === 'pgPoolSize');
    expect(explained).toMatchObject(winner === undefined ? { source: 'default' } : EXPLAINED[winner]);
  });
});

describe('precedence among files of one kind', () => {
  it('lets a later configFiles entry win over an earlier one', () => {
    const cwd = workspace({
      'a.yaml': 'letta:\n  pg_pool_size: 1\n',
      'b.yaml': 'letta:\n  pg_pool_size: 2\n',
    });
    const settings = loadSettings({ env: {}, cwd, home: cwd, configFiles: ['a.yaml', 'b.yaml'] });
    expect(settings.pgPoolSize).toBe(2);
  });

  it('lets a later .env file win over an earlier one', () => {
    const cwd = workspace({ '.env': 'LETTA_PG_POOL_SIZE=1\n', '.env.local': 'LETTA_PG_POOL_SIZE=2\n' });
    expect(loadSettings({ env: {}, cwd, home: cwd, dotenv: ['.env', '.env.local'] }).pgPoolSize).toBe(2);
  });

  it('reads .env in cwd by default, and not when dotenv is false', () => {
    const cwd = workspace({ '.env': 'LETTA_PG_POOL_SIZE=3\n' });
    expect(loadSettings({ env: {}, cwd, home: cwd }).pgPoolSize).toBe(3);
    expect(loadSettings({ env: {}, cwd, home: cwd, dotenv: false }).pgPoolSize).toBe(25);
  });

  it('merges files setting by setting: a higher file does not hide the other keys of a lower one', () => {
    const cwd = workspace({
      'conf.yaml': 'letta:\n  pg_pool_size: 6\n',
      'home/.letta/conf.yaml': 'letta:\n  pg_pool_size: 7\n  pg_max_overflow: 3\n',
    });
    const settings = loadSettings({ env: {}, cwd, home: join(cwd, 'home') });
    expect([settings.pgPoolSize, settings.pgMaxOverflow]).toEqual([6, 3]);
  });
});
