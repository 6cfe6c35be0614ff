import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One package as `pnpm pack` wrote it. */
export interface Tarball {
  readonly name: string;
  readonly file: string;
}

/** Packs every package of the workspace into `into` (run `pnpm build` first). */
export async function packTarballs(into: string): Promise<Tarball[]> {
  mkdirSync(into, { recursive: true });
  const folders = readdirSync(join(ROOT, 'packages'));
  return Promise.all(
    folders.map(async (folder) => {
      const cwd = join(ROOT, 'packages', folder);
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', into, '--json'], { cwd });
      const { name, filename } = JSON.parse(stdout) as { name: string; filename: string };
      return { name, file: filename };
    }),
  );
}

/**
 * Writes a project in `dir` that depends on the `direct` packages, with every tarball standing in for
 * the registry (the packages depend on each other by version, and none is published yet).
 */
export function writeScratchProject(
  dir: string,
  tarballs: readonly Tarball[],
  direct: readonly string[],
): void {
  mkdirSync(dir, { recursive: true });
  const dependencies: Record<string, string> = {};
  const overrides: Record<string, string> = {};
  for (const { name, file } of tarballs) {
    if (direct.includes(name)) {
      dependencies[name] = `file:${file}`;
      overrides[name] = `$${name}`;
    } else {
      overrides[name] = `file:${file}`;
    }
  }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ private: true, dependencies, overrides }, null, 2),
  );
}

/** `npm install specs` in `dir` with `nodeBin` first on the PATH, as a service on that Node would; npm's cache stays in `dir`. */
export async function npmInstall(dir: string, nodeBin: string, specs: readonly string[]): Promise<void> {
  const env = { ...process.env, PATH: `${nodeBin}:${process.env.PATH}`, npm_config_cache: join(dir, '.npm') };
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], {
    cwd: dir,
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
}
