import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/interleaved-output.mjs', import.meta.url));

function run(mode: 'interleaved' | 'background' | 'exit'): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [fixture, mode], { encoding: 'utf8' }, (error, stdout) =>
      error ? reject(error) : resolve(stdout.trimEnd().split('\n')),
    );
  });
}

/** What each line is, without the level and logger prefix of a readable log line. */
const kinds = (lines: string[]) => lines.map((line) => line.replace(/^Letta - WARNING - /, ''));

describe('createLogger on stdout, in a process of its own', () => {
  beforeAll(() => {
    if (!existsSync(new URL('../dist/index.js', import.meta.url))) {
      throw new Error(
        'These tests run the built package: run `pnpm build` first (the root `pnpm test` does).',
      );
    }
  });

  it('by default writes each line before returning, so lines keep their order with console.log', async () => {
    const expected = Array.from({ length: 50 }, (_, i) => [`log ${i}`, `console ${i}`]).flat();
    expect(kinds(await run('interleaved'))).toEqual(expected);
  });

  it('by default loses no line at process.exit', async () => {
    expect(kinds(await run('exit'))).toEqual(Array.from({ length: 2000 }, (_, i) => `log ${i}`));
  });

  it('with sync: false still delivers every line by a normal exit', async () => {
    const lines = kinds(await run('background'));
    expect(lines.filter((line) => line.startsWith('log ')).sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `log ${i}`).sort(),
    );
    expect(lines).toHaveLength(100);
  });
});
