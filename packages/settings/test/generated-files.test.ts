import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GENERATED_FILES } from '../scripts/generated-files';
import { runCli } from './cli';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const committed = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');

describe('files generated from the schema', () => {
  it.each(GENERATED_FILES)('$path matches the schema', ({ path, render, compare }) => {
    const stale = `${path} is out of date with the settings schema: run \`pnpm generate\` and commit the result`;
    if (compare === 'json') expect(JSON.parse(committed(path)), stale).toEqual(JSON.parse(render()));
    else expect(committed(path), stale).toBe(render());
  });

  it.each([
    ['schema', 'packages/settings/schema.json'],
    ['docs', 'docs/configuration.md'],
    ['env-example', 'packages/settings/.env.example'],
  ])('letta-settings %s prints %s', async (command, path) => {
    expect(await runCli([command])).toEqual({ status: 0, stdout: committed(path), stderr: '' });
  });
});
