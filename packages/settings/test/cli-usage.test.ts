import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireProgram } from '@test/support';
import { describe, expect, it } from 'vitest';
import { BIN_LAUNCHER, runCli } from './cli';
import { workspace } from './workspace';

const { version, bin } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};
const USAGE_HINT = 'Run "letta-settings --help" for usage.\n';

describe('letta-settings usage', () => {
  it('prints help and the version, exit 0', async () => {
    const help = await runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain(`letta-settings ${version}: check and document Letta settings`);
    for (const command of ['validate [files...]', 'print [files...]', 'schema', 'docs', 'env-example'])
      expect(help.stdout).toContain(`\n  ${command} `);
    expect(await runCli(['--version'])).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('prints a command’s help with its options', async () => {
    const help = await runCli(['validate', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: letta-settings validate \[files\.\.\.\] \[options\]\n/);
    expect(help.stdout).toContain('--format <text|json|github>');
    expect(help.stdout).toContain('--strict');
  });

  it('prints help on stderr and exits 2 without a command', async () => {
    const result = await runCli([]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: letta-settings <command> [options]');
  });

  it.each([
    [['valdate'], 'unknown command "valdate"; did you mean validate?'],
    [['validate', '--nope'], 'validate: unknown option --nope; it takes --env-file, --format, --strict'],
    [['validate', '--format', 'xml'], 'validate: --format must be text, json, github; got "xml"'],
    [['validate', '--format'], 'validate: --format needs a value, e.g. --format text'],
    [['validate', '--strict=yes'], 'validate: --strict takes no value; write just --strict'],
    [['validate', '--strict', '--strict'], 'validate: --strict is given twice; give it once'],
    [['validate', 'missing.yaml'], 'validate: config file "missing.yaml": it does not exist'],
    [['validate', '.'], 'validate: config file "." is not a file'],
    [['print', '--format', 'toml'], 'print: --format must be yaml, json, env; got "toml"'],
    [['schema', 'extra'], 'schema: takes no arguments; got "extra"'],
    [['docs', '--explain'], 'docs: unknown option --explain; it takes no options'],
  ])('letta-settings %j is a usage error (exit 2)', async (args, message) => {
    const result = await runCli(args, { cwd: workspace() });
    expect(result).toEqual({ status: 2, stdout: '', stderr: `letta-settings: ${message}\n${USAGE_HINT}` });
  });

  // Node reads any --env-file argument as its own, even one after the script, and exits 9 when the
  // file is missing (nodejs/node#54232); the launcher runs `node -- file` to stop that. It does so from
  // plain sh, since BusyBox's env (Alpine images) has no `-S` for `#!/usr/bin/env -S node --`.
  it.each([['exec'], ['busybox']] as const)(
    'reports a missing or absent --env-file as a usage error when run as a bin (%s)',
    async (launcher) => {
      if (launcher === 'busybox' && !requireProgram('busybox', 'apt-get install busybox')) return;
      const cwd = workspace();
      for (const [args, message] of [
        [['validate', '--env-file', 'missing.env'], 'validate: --env-file "missing.env": it does not exist'],
        [['validate', '--env-file', '--strict'], 'validate: --env-file needs a value, e.g. --env-file file'],
      ] as const) {
        expect(await runCli(args, { cwd, launcher })).toEqual({
          status: 2,
          stdout: '',
          stderr: `letta-settings: ${message}\n${USAGE_HINT}`,
        });
      }
    },
  );

  // A bin under dist/ does not exist when a fresh clone runs `pnpm install`, so pnpm would not link it.
  it('is linked from the committed launcher, not from the build output', () => {
    expect(fileURLToPath(new URL(`../${bin['letta-settings']}`, import.meta.url))).toBe(BIN_LAUNCHER);
  });

  it('takes operands after --, even ones that look like options', async () => {
    const cwd = workspace({ '--strict': 'letta:\n  debug: true\n' });
    expect(await runCli(['validate', '--', '--strict'], { cwd })).toEqual({
      status: 0,
      stdout: '--strict: valid.\n',
      stderr: '',
    });
  });
});
