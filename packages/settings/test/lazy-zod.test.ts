import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runWithResolvedPackages } from '@test/support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const dist = pathToFileURL(join(import.meta.dirname, '../dist/index.js')).href;
const zod = pathToFileURL(createRequire(dist).resolve('zod')).href;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'letta-lazy-zod-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loading zod', () => {
  it('is not needed to load Letta’s settings: importing the package and loading them never resolve it', () => {
    const { lines, stderr } = runWithResolvedPackages(
      `const { loadSettings, loadTestSettings } = await import(${JSON.stringify(dist)});
      process.stdout.write('pool size ' + loadSettings({ env: { LETTA_PG_POOL_SIZE: '7' } }).pgPoolSize + '\\n');
      loadTestSettings();
      process.stdout.write('loaded settings\\n');
      await import(${JSON.stringify(zod)});`,
      dir,
    );
    expect(stderr).toBe('');
    expect(lines).toContain('pool size 7');
    // The hook sees zod once the script imports it itself, so its silence before that means something.
    expect(lines.filter((line) => line === 'loaded settings' || line === 'resolved zod')).toEqual([
      'loaded settings',
      'resolved zod',
    ]);
  });
});
