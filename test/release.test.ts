import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifests = readdirSync(`${root}packages`).map((folder) => ({
  folder,
  ...(JSON.parse(readFileSync(`${root}packages/${folder}/package.json`, 'utf8')) as {
    name: string;
    version: string;
    files: string[];
    license: string;
  }),
}));

describe('release', () => {
  it.each(manifests)('$name ships the Apache-2.0 LICENSE of the repository', ({ folder, files, license }) => {
    expect(license).toBe('Apache-2.0');
    expect(files).toContain('LICENSE');
    expect(readFileSync(`${root}packages/${folder}/LICENSE`, 'utf8')).toBe(
      readFileSync(`${root}LICENSE`, 'utf8'),
    );
  });

  // The README is the package's page on npm, where a link out of the package folder leads nowhere.
  it.each(manifests)('$name README links outside its folder by absolute URL only', ({ folder }) => {
    const readme = readFileSync(`${root}packages/${folder}/README.md`, 'utf8');
    expect(readme.match(/\]\(\.\.\/[^)]*\)/g) ?? []).toEqual([]);
  });

  // A package's first release is 0.1.0: a package still at 0.0.0 has a `minor` changeset, none `major`.
  it('the pending changesets version every unreleased package to 0.1.0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'letta-release-plan-'));
    try {
      const output = join(dir, 'plan.json');
      execFileSync('pnpm', ['exec', 'changeset', 'status', `--output=${output}`], {
        cwd: root,
        stdio: 'pipe',
      });
      const plan = JSON.parse(readFileSync(output, 'utf8')) as {
        releases: { name: string; oldVersion: string; newVersion: string }[];
      };
      const published = plan.releases.filter((release) =>
        manifests.some(({ name }) => name === release.name),
      );
      expect(Object.fromEntries(published.map((release) => [release.name, release.newVersion]))).toEqual(
        Object.fromEntries(manifests.map(({ name }) => [name, '0.1.0'])),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
