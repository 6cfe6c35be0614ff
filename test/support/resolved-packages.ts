import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// A module hook that prints, on stdout, the package of every module resolved from node_modules (the
// innermost one: pnpm keeps packages under node_modules/.pnpm/<name>@<version>/node_modules/<name>).
const HOOKS = `export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  const match = /.*[\\\\/]node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)[\\\\/]/.exec(result.url);
  if (match) process.stdout.write('resolved ' + match[1].replace('\\\\', '/') + '\\n');
  return result;
}`;

/**
 * Runs an ES module `script` in a fresh Node in `cwd` (a clean environment: only PATH and HOME=cwd) and
 * returns its stdout lines, where every package an `import` resolved appears as `resolved <name>` at the
 * point it was resolved. (`require` calls do not go through the hook.)
 */
export function runWithResolvedPackages(script: string, cwd: string): { lines: string[]; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'letta-resolve-hook-'));
  try {
    writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
    const register = `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});`;
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        `data:text/javascript,${encodeURIComponent(register)}`,
        '--input-type=module',
        '-e',
        script,
      ],
      { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd }, encoding: 'utf8' },
    );
    return { lines: result.stdout.split('\n').filter(Boolean), stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
