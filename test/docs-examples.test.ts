import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The TypeScript examples of these pages, checked as a user meets them: copied into a project of their
// own that installs the built packages. Every example that starts with an import is a complete program
// and must type-check; one followed by "This prints" must also run and print exactly that.
const PAGES = [
  'packages/settings/README.md',
  'packages/telemetry/README.md',
  'docs/getting-started.md',
  'docs/telemetry.md',
];

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const PACKAGES = ['settings', 'db-pool', 'redis', 'telemetry'];
/** What the examples import besides the packages, and what runs and checks them. */
const TOOLS = ['zod', '@opentelemetry', '@types', 'tsx'];

interface Example {
  /** `page:line` of the opening fence. */
  readonly name: string;
  readonly file: string;
  readonly code: string;
  /** The block after "This prints", if any. */
  readonly prints?: string;
}

function examplesOf(page: string): Example[] {
  const lines = readFileSync(join(ROOT, page), 'utf8').split('\n');
  const blockAt = (start: number) => {
    const end = lines.indexOf('```', start + 1);
    return { text: lines.slice(start + 1, end).join('\n'), end };
  };
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```ts') continue;
    const { text, end } = blockAt(i);
    if (text.startsWith('import ')) {
      const next = lines.findIndex((line, n) => n > end && line.trim() !== '');
      const output = lines[next]?.startsWith('This prints')
        ? blockAt(lines.findIndex((line, n) => n > next && line.startsWith('```')))
        : undefined;
      const name = `${page}:${i + 1}`;
      const file = `${name.replace(/\W+/g, '-')}.ts`;
      examples.push({ name, file, code: text, prints: output?.text });
    }
    i = end;
  }
  return examples;
}

const examples = PAGES.flatMap(examplesOf);
const runnable = examples.filter((example) => example.prints !== undefined);
let project = '';

/** Process ids and timestamps differ from run to run. */
const normalise = (text: string) =>
  text
    .replace(/\(node:\d+\)/g, '(node:PID)')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'TIMESTAMP')
    .trimEnd();

beforeAll(() => {
  for (const name of PACKAGES) {
    const entry = join(ROOT, 'packages', name, 'dist/index.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run pnpm build before these tests`);
  }
  project = mkdtempSync(join(tmpdir(), 'letta-docs-examples-'));
  mkdirSync(join(project, 'node_modules/@letta'), { recursive: true });
  for (const name of PACKAGES)
    symlinkSync(join(ROOT, 'packages', name), join(project, 'node_modules/@letta', name));
  for (const name of TOOLS)
    symlinkSync(join(ROOT, 'node_modules', name), join(project, 'node_modules', name));
  writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');
  for (const example of examples) writeFileSync(join(project, example.file), `${example.code}\n`);
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('documentation examples', () => {
  it('finds complete and runnable examples on the pages', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(4);
    expect(examples.length).toBeGreaterThan(runnable.length);
  });

  it('type-checks every complete example against the built packages', () => {
    const program = ts.createProgram(
      examples.map((example) => join(project, example.file)),
      {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2023,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        lib: ['lib.es2023.d.ts'],
        types: ['node'],
      },
    );
    const byFile = new Map(examples.map((example) => [join(project, example.file), example.name]));
    const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      if (!diagnostic.file || diagnostic.start === undefined) return message;
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      return `${byFile.get(diagnostic.file.fileName) ?? diagnostic.file.fileName}, example line ${line + 1}: ${message}`;
    });
    expect(problems).toEqual([]);
    // One TypeScript program over every example: about 15 s on an idle two-core machine, more under load.
  }, 120_000);

  it.each(runnable.map((example) => [example.name, example] as const))(
    '%s prints what the page shows',
    async (_, example) => {
      const output = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', example.file],
          { cwd: project, env: { PATH: process.env.PATH ?? '', HOME: project }, encoding: 'utf8' },
          (error, stdout, stderr) =>
            error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout + stderr),
        );
      });
      expect(normalise(output)).toBe(normalise(example.prints ?? ''));
    },
  );
});
