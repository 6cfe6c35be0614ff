import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SettingsError, type SettingsIssue } from '@letta/settings';
import { afterAll } from 'vitest';

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary directory with the given files (path → content), removed after the test file. */
export function workspace(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'letta-settings-test-'));
  created.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Options that read only what the test gives: no process env, no stray files, no warnings printed. */
export function isolated(env: Record<string, string> = {}, files: Record<string, string> = {}) {
  const dir = workspace(files);
  return { env, cwd: dir, home: join(dir, 'home'), onWarning: () => {} };
}

/** The issues of the SettingsError that `load` throws; fails when it throws nothing or something else. */
export function issuesOf(load: () => unknown): readonly SettingsIssue[] {
  try {
    load();
  } catch (error) {
    if (error instanceof SettingsError) return error.issues;
    throw error;
  }
  throw new Error('expected a SettingsError');
}
