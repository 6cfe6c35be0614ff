import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSettings, SettingsError, type SettingsIssue } from '@letta/settings';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lettaSettingsModel } from '../src/letta/letta-models';
import { isolated, workspace } from './workspace';

/** Fixed, so that a failure reproduces; bounded, so that the suite stays fast in CI. */
const RUNS = { seed: 16, numRuns: 150 } as const;
const MARK = 'SUPERSECRET';

/** Loads, and returns the issues: settings (no issue) or a SettingsError, never anything else. */
function outcome(load: () => unknown): readonly SettingsIssue[] {
  try {
    load();
    return [];
  } catch (error) {
    if (error instanceof SettingsError) return error.issues;
    throw error;
  }
}

function expectLocated(issues: readonly SettingsIssue[]): void {
  for (const issue of issues) {
    const located =
      issue.file !== undefined || issue.envVar !== undefined || issue.message.startsWith('options.');
    expect(located, issue.message).toBe(true);
  }
}

const YAML_TOKENS = [
  'letta:',
  'model:',
  '\n',
  '  ',
  '- ',
  '[',
  ']',
  '{',
  '}',
  ', ',
  ': ',
  '&a ',
  '*a',
  '&b ',
  '*b',
  '"',
  "'",
  'pg_pool_size',
  'pg',
  'pool_size',
  'debug',
  'cors_origins',
  'redis_sentinels',
  '5',
  '-3',
  'true',
  'None',
  '~',
  '# note',
  '? ',
  '|',
  '>',
  '\t',
  '\\',
  '%YAML 1.2',
  '---',
  '!!str ',
  '!!binary ',
];

const yamlText = fc
  .array(fc.constantFrom(...YAML_TOKENS), { maxLength: 80 })
  .map((tokens) => tokens.join(''));

describe('any config file gives settings or a located SettingsError', () => {
  it('YAML made of YAML’s own tokens', () => {
    const dir = workspace();
    fc.assert(
      fc.property(yamlText, (text) => {
        writeFileSync(join(dir, 'conf.yaml'), text);
        expectLocated(outcome(() => loadSettings({ ...isolated(), cwd: dir, configFiles: ['conf.yaml'] })));
      }),
      RUNS,
    );
  });

  it('JSON documents of any shape, under letta: and at the top', () => {
    const dir = workspace();
    const document = fc.oneof(
      fc.jsonValue({ maxDepth: 6 }),
      fc.jsonValue({ maxDepth: 6 }).map((value) => ({ letta: value })),
      fc
        .dictionary(
          fc.constantFrom(...lettaSettingsModel().fields.map((field) => field.configKey.slice(6))),
          fc.jsonValue({ maxDepth: 3 }),
        )
        .map((letta) => ({ letta })),
    );
    fc.assert(
      fc.property(document, (value) => {
        writeFileSync(join(dir, 'conf.json'), JSON.stringify(value) ?? 'null');
        expectLocated(outcome(() => loadSettings({ ...isolated(), cwd: dir, configFiles: ['conf.json'] })));
      }),
      RUNS,
    );
  });
});

describe('any env map', () => {
  const names = lettaSettingsModel().fields.map((field) => field.envVars[0] ?? '');

  it('never shows what a NAME_FILE variable points at', () => {
    const dir = workspace();
    const secretFile = fc.record({
      name: fc.constantFrom(...names),
      content: fc.string({ maxLength: 40 }).map((text) => `${MARK}${text}`),
    });
    fc.assert(
      fc.property(fc.array(secretFile, { minLength: 1, maxLength: 4 }), (files) => {
        const env: Record<string, string> = {};
        files.forEach(({ name, content }, index) => {
          const path = join(dir, `secret-${index}`);
          writeFileSync(path, content);
          env[`${name}_FILE`] = path;
        });
        const issues = outcome(() => loadSettings(isolated(env)));
        expectLocated(issues);
        for (const issue of issues) expect(issue.message).not.toContain(MARK);
      }),
      RUNS,
    );
  });
});

describe('any kind of file, wherever a path is taken', () => {
  const dir = workspace({ 'regular.yaml': 'letta:\n  debug: true\n', 'secret.txt': 'x' });
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  mkdirSync(join(dir, 'folder'));
  symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
  symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
  const kinds = ['regular.yaml', 'fifo', 'folder', 'loop-a', 'missing', '/dev/zero', '/dev/null'];

  it('is read, or an issue that names the path', () => {
    const where = fc.constantFrom('configFiles', 'dotenv', 'NAME_FILE', 'LETTA_CONFIG_PATH');
    fc.assert(
      fc.property(fc.constantFrom(...kinds), where, (kind, place) => {
        const path = kind.startsWith('/') ? kind : join(dir, kind);
        const options = {
          ...isolated(
            place === 'NAME_FILE'
              ? { LETTA_ENCRYPTION_KEY_FILE: path }
              : place === 'LETTA_CONFIG_PATH'
                ? { LETTA_CONFIG_PATH: path }
                : {},
          ),
          cwd: dir,
          ...(place === 'configFiles' && { configFiles: [path] }),
          ...(place === 'dotenv' && { dotenv: path }),
        };
        const issues = outcome(() => loadSettings(options));
        expectLocated(issues);
        if (kind === 'regular.yaml') return;
        const named = issues.some((issue) =>
          issue.message.includes(kind.startsWith('/') ? kind : kind.replace(/\.yaml$/, '')),
        );
        if (kind !== '/dev/null' || issues.length > 0) expect(named, JSON.stringify(issues)).toBe(true);
      }),
      { ...RUNS, numRuns: 60 },
    );
  });
});
