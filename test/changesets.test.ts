import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const packages = new Set(
  readdirSync(`${root}packages`).map(
    (folder) =>
      (JSON.parse(readFileSync(`${root}packages/${folder}/package.json`, 'utf8')) as { name: string }).name,
  ),
);
const changesets = readdirSync(`${root}.changeset`).filter(
  (file) => file.endsWith('.md') && file !== 'README.md',
);

// A formatter once turned a changeset's front matter into a Markdown heading, which `changeset version`
// then rejects at release time; this catches that, and a package name that does not exist, at once.
describe('changesets', () => {
  it.each(changesets)('%s has front matter naming published packages and a summary', (file) => {
    const text = readFileSync(`${root}.changeset/${file}`, 'utf8');
    const match = /^---\n((?:.+\n)+?)---\n\n?([\s\S]*\S[\s\S]*)$/.exec(text);
    expect(match, 'starts with ---, release lines, ---, then the summary').not.toBeNull();
    for (const line of match?.[1]?.trimEnd().split('\n') ?? []) {
      const release = /^'(@letta\/[a-z-]+)': (major|minor|patch)$/.exec(line);
      expect(release, `release line ${JSON.stringify(line)}`).not.toBeNull();
      expect(packages).toContain(release?.[1]);
    }
  });
});
