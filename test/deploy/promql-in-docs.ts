import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Markdown files that may hold PromQL: docs/, the READMEs of the repository, packages, examples and deploy. */
function markdownFiles(): string[] {
  const files = readdirSync(`${ROOT}docs`)
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  files.push('README.md');
  for (const parent of ['packages', 'examples', 'deploy']) {
    for (const entry of readdirSync(`${ROOT}${parent}`, { withFileTypes: true })) {
      if (entry.isDirectory()) files.push(`${parent}/${entry.name}/README.md`);
    }
  }
  return files.filter((file) => {
    try {
      readFileSync(`${ROOT}${file}`);
      return true;
    } catch {
      return false;
    }
  });
}

export interface FencedBlock {
  readonly file: string;
  readonly language: string;
  readonly text: string;
}

/** Every fenced code block of the Markdown files, with its language tag (`''` when it has none). */
export function fencedBlocks(): FencedBlock[] {
  return markdownFiles().flatMap((file) =>
    [...readFileSync(`${ROOT}${file}`, 'utf8').matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)].map((match) => ({
      file,
      language: match[1] ?? '',
      text: (match[2] ?? '').trim(),
    })),
  );
}

/** A PromQL function call or aggregation: what gives away PromQL in a block not tagged `promql`. */
export const LOOKS_LIKE_PROMQL =
  /\b(rate|increase|histogram_quantile|max_over_time|sum by|avg by|max by)\s*\(/;
