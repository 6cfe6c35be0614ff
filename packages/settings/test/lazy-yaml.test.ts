import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const dist = pathToFileURL(join(import.meta.dirname, '../dist/index.js')).href;
const yaml = pathToFileURL(createRequire(dist).resolve('yaml')).href;
// A module hook that reports every module resolved from the yaml package.
const hooks = `export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (/[\\\\/]node_modules[\\\\/]yaml[\\\\/]/.test(result.url)) process.stdout.write('yaml resolved\\n');
  return result;
}`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'letta-lazy-yaml-'));
  writeFileSync(join(dir, 'hooks.mjs'), hooks);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(script: string) {
  const register = `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});`;
  return spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', script],
    { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir }, encoding: 'utf8' },
  );
}

describe('loading yaml', () => {
  it('waits for a YAML config file: a load from the environment alone never resolves it', () => {
    const result = run(`
      const { loadSettings } = await import(${JSON.stringify(dist)});
      loadSettings();
      process.stdout.write('loaded settings\\n');
      await import(${JSON.stringify(yaml)});
    `);
    expect(result.stderr).toBe('');
    // The hook sees yaml once the script imports it itself, so its silence before that means something.
    expect(result.stdout).toBe('loaded settings\nyaml resolved\n');
  });

  it('reads a YAML file once one is given', () => {
    writeFileSync(join(dir, 'conf.yaml'), 'letta:\n  pg:\n    pool_size: 7\n');
    const result = run(`
      const { loadSettings } = await import(${JSON.stringify(dist)});
      process.stdout.write(String(loadSettings({ configFiles: ['conf.yaml'] }).pgPoolSize));
    `);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/7$/);
  });
});
