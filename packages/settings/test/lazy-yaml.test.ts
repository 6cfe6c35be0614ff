import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runWithResolvedPackages } from '@test/support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

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
