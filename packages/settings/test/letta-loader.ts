import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// A small re-implementation of Letta's documented loader and settings classes (letta-ai/letta at 1131535).
const LOAD_LIKE_LETTA = fileURLToPath(new URL('fixtures/letta-loader/load_like_letta.py', import.meta.url));

/** True when python3 has pydantic-settings and PyYAML for the re-implemented Letta loader; otherwise skips with one line (fails with CI=true). */
export function hasLettaLoaderModules(): boolean {
  const probe = spawnSync('python3', ['-c', 'import pydantic, pydantic_settings, yaml'], { stdio: 'ignore' });
  if (probe.status === 0) return true;
  const message =
    'python3 with pydantic 2, pydantic-settings and PyYAML is missing (pip install pydantic-settings pyyaml): settings are not compared with Letta';
  if (process.env.CI === 'true') throw new Error(message);
  console.log(`skip: ${message}`);
  return false;
}

/** Letta's settings classes by group (`''` for `Settings`), each as pydantic dumps it to JSON. */
export type Dump = Record<string, Record<string, unknown>>;

/**
 * Letta's settings, loaded as Letta loads them (pydantic-settings, conf.yaml flattening) from `file` (when given) and `env`, with nothing else in
 * the environment: the dump, or the error that would stop Letta at start-up.
 */
export function loadLikeLetta(
  file: string | undefined,
  home: string,
  env: Record<string, string> = {},
): { readonly settings?: Dump; readonly error?: string } {
  const result = spawnSync('python3', [LOAD_LIKE_LETTA, file ?? ''], {
    cwd: home,
    env: { PATH: process.env.PATH ?? '', HOME: home, ...env },
    encoding: 'utf8',
  });
  if (result.status !== 0) return { error: result.stderr };
  return { settings: JSON.parse(result.stdout) as Dump };
}
