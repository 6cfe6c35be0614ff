import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runWithResolvedPackages } from '@test/support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from './cli';
import { workspace } from './workspace';

const dist = pathToFileURL(join(import.meta.dirname, '../dist/index.js')).href;
const yaml = pathToFileURL(createRequire(dist).resolve('yaml')).href;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'letta-lazy-yaml-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loading yaml', () => {
  it('waits for a YAML config file: a load from the environment alone never resolves it', () => {
    const { lines, stderr } = runWithResolvedPackages(
      `const { loadSettings } = await import(${JSON.stringify(dist)});
      loadSettings();
      process.stdout.write('loaded settings\\n');
      await import(${JSON.stringify(yaml)});`,
      dir,
    );
    expect(stderr).toBe('');
    // The hook sees yaml once the script imports it itself, so its silence before that means something.
    expect(lines.filter((line) => line === 'loaded settings' || line === 'resolved yaml')).toEqual([
      'loaded settings',
      'resolved yaml',
    ]);
  });

  it('reads a YAML file once one is given', () => {
    writeFileSync(join(dir, 'conf.yaml'), 'letta:\n  pg:\n    pool_size: 7\n');
    const { lines, stderr } = runWithResolvedPackages(
      `const { loadSettings } = await import(${JSON.stringify(dist)});
      process.stdout.write('pool size ' + loadSettings({ configFiles: ['conf.yaml'] }).pgPoolSize + '\\n');`,
      dir,
    );
    expect(stderr).toBe('');
    expect(lines).toContain('pool size 7');
  });
});

describe('the letta-settings bin', () => {
  // Prints, as the program exits, every loaded file whose path names yaml.
  const REPORT_LOADED_YAML = `process.on('exit', () => {
    for (const file of Object.keys(require.cache)) if (/yaml/.test(file)) process.stderr.write('loaded ' + file + '\\n');
  });`;

  async function yamlFilesLoaded(args: readonly string[], files: Record<string, string>) {
    const cwd = workspace({ ...files, 'report-loaded-files.cjs': REPORT_LOADED_YAML });
    const result = await runCli(args, {
      cwd,
      env: { NODE_OPTIONS: `--require ${join(cwd, 'report-loaded-files.cjs')}` },
    });
    expect(result.status, result.stderr).toBe(0);
    return result.stderr.split('\n').filter((line) => line.startsWith('loaded '));
  }

  it('never loads yaml to validate a configuration without YAML files', async () => {
    expect(await yamlFilesLoaded(['validate'], { '.env': 'LETTA_PG_POOL_SIZE=7\n' })).toEqual([]);
  });

  it('loads its own bundled yaml, one file, with the first YAML file', async () => {
    const loaded = await yamlFilesLoaded(['validate'], { 'conf.yaml': 'letta:\n  pg:\n    pool_size: 7\n' });
    expect(loaded).toEqual([`loaded ${BIN.replace(/letta-settings\.cjs$/, 'yaml.cjs')}`]);
  });
});
